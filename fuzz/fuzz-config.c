/* libFuzzer target: the mapping-file parser, config_load_buffer(). */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * The parser logs each error it finds to stderr.  Send those lines to
 * /dev/null, which keeps the fuzzer fast; sanitizer and libFuzzer
 * reports are written to descriptor 2 directly and still show.
 */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE	*fp;

	(void)argc;
	(void)argv;
	if (getenv("FUZZ_VERBOSE") == NULL &&
	    (fp = fopen("/dev/null", "w")) != NULL)
		stderr = fp;
	return (0);
}

/* Load the input as one file, print what was loaded, free it all. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	*conf;
	FILE		*fp;

	conf = config_create();
	if (config_load_buffer(conf, "fuzz.ini", (const char *)data,
	    size) == 0 && (fp = fopen("/dev/null", "w")) != NULL) {
		config_print(conf, fp);
		fclose(fp);
	}
	config_free(conf);
	return (0);
}
