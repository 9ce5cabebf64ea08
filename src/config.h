/*
 * The mapping files: parsed into a struct config, validated, never bound.
 * Nothing here touches a device.
 */

#ifndef CONFIG_H
#define CONFIG_H

#include <stdio.h>
#include <sys/queue.h>

/* What kind of MIDI message triggers a mapping. */
enum midi_kind {
	KIND_CC,		/* 7-bit control change, absolute */
	KIND_NOTE,		/* note on / note off */
};
#define KIND_MAX	2

/* One [section] of a mapping file: a MIDI message and a control. */
struct mapping {
	TAILQ_ENTRY(mapping)	 entry;
	const char		*file;		/* owned by the config */
	unsigned int		 line;		/* of the first key */
	char			*name;		/* the section name */

	enum midi_kind		 kind;
	int			 channel;	/* 0..15, or -1 for any */
	int			 number;	/* CC or note number */
	unsigned int		 midi_line;

	char			*control;	/* element name */
	unsigned int		 index;		/* element index */
	int			 elem_channel;	/* 0-based, or -1 for all */
	unsigned int		 control_line;
};
TAILQ_HEAD(mappings, mapping);

/* One "port =" line of [surface]. */
struct port {
	TAILQ_ENTRY(port)	 entry;
	const char		*file;
	unsigned int		 line;
	char			*pattern;
};
TAILQ_HEAD(ports, port);

struct config {
	char			*card;		/* NULL if no file names it */
	const char		*card_file;
	unsigned int		 card_line;
	struct ports		 ports;
	struct mappings		 mappings;
	unsigned int		 nmappings;
	char			**files;	/* every path loaded */
	unsigned int		 nfiles;
};

struct config	*config_create(void);
void		 config_free(struct config *);
int		 config_load(struct config *, const char *);
int		 config_load_buffer(struct config *, const char *, const char *,
		     size_t);
void		 config_print(const struct config *, FILE *);
const char	*config_kind_name(enum midi_kind);

#endif
