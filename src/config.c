/* Read mapping files through libinih into a struct config. */

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <alsa/asoundlib.h>
#include <ini.h>

#include "compat.h"
#include "config.h"
#include "log.h"
#include "xmalloc.h"

/* ALSA element names fit in 44 bytes with their NUL. */
#define CONFIG_NAME_MAX	44

/* What the inih callbacks share while one file is read. */
struct config_ctx {
	struct config	*conf;
	const char	*path;		/* owned by conf->files */
	FILE		*fp;
	unsigned int	 lineno;
	unsigned int	 nerr;
	char		*section;	/* the current section */
	unsigned int	 section_line;
	int		 section_keys;	/* it has keys */
	int		 section_bad;	/* its header was bad: skip it */
	struct mapping	*m;		/* the mapping being read, if any */
	unsigned int	 seen;		/* keys of m already set, a bit each */
	char		**sections;	/* names seen in this file */
	unsigned int	*section_lines;
	unsigned int	 nsections;
};

/* The keys a mapping section knows, table-driven as tmux does options. */
enum config_key {
	KEY_MIDI,
	KEY_CONTROL,
	KEY_CONTROL_CHANNEL,
};

static const struct {
	const char	*name;
	enum config_key	 key;
} config_keys[] = {
	{ "midi", KEY_MIDI },
	{ "control", KEY_CONTROL },
	{ "control-channel", KEY_CONTROL_CHANNEL },
};

static const char *config_kinds[KIND_MAX] = {
	[KIND_CC] = "cc",
	[KIND_NOTE] = "note",
};

static void	config_error(struct config_ctx *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));

/* Report one error at the current line. */
static void
config_error(struct config_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("vasprintf");
	va_end(ap);
	log_warnx("%s:%u: %s", ctx->path, ctx->lineno, msg);
	free(msg);
	ctx->nerr++;
}

/* The name of a MIDI message kind, as written in files. */
const char *
config_kind_name(enum midi_kind kind)
{
	return (config_kinds[kind]);
}

/* Allocate an empty configuration. */
struct config *
config_create(void)
{
	struct config	*conf;

	conf = xcalloc(1, sizeof(*conf));
	TAILQ_INIT(&conf->ports);
	TAILQ_INIT(&conf->mappings);
	return (conf);
}

/* Free a configuration and everything it owns. */
void
config_free(struct config *conf)
{
	struct mapping	*m, *m1;
	struct port	*p, *p1;
	unsigned int	 i;

	if (conf == NULL)
		return;
	TAILQ_FOREACH_SAFE(m, &conf->mappings, entry, m1) {
		TAILQ_REMOVE(&conf->mappings, m, entry);
		free(m->name);
		free(m->control);
		free(m);
	}
	TAILQ_FOREACH_SAFE(p, &conf->ports, entry, p1) {
		TAILQ_REMOVE(&conf->ports, p, entry);
		free(p->pattern);
		free(p);
	}
	for (i = 0; i < conf->nfiles; i++)
		free(conf->files[i]);
	free(conf->files);
	free(conf->card);
	free(conf);
}

/*
 * Parse a decimal number within [min, max] like OpenBSD's strtonum, and
 * report "what is too large: 17" and the like.
 */
static int
config_number(struct config_ctx *ctx, const char *what, const char *s,
    long long min, long long max, long long *out)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || isspace((unsigned char)*s)) {
		config_error(ctx, "%s is not a number: %s", what, s);
		return (-1);
	}
	if ((errno == ERANGE && v == LLONG_MIN) || v < min) {
		config_error(ctx, "%s is too small: %s", what, s);
		return (-1);
	}
	if ((errno == ERANGE && v == LLONG_MAX) || v > max) {
		config_error(ctx, "%s is too large: %s", what, s);
		return (-1);
	}
	*out = v;
	return (0);
}

/* Split s at white space into at most n words; returns how many. */
static size_t
config_words(char *s, char **words, size_t n)
{
	size_t	 i = 0;

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			return (i);
		if (i == n)
			return (n + 1);
		words[i++] = s;
		while (*s != '\0' && !isspace((unsigned char)*s))
			s++;
		if (*s != '\0')
			*s++ = '\0';
	}
}

/* Parse "midi = KIND NUMBER [channel N|any]". */
static void
config_parse_midi(struct config_ctx *ctx, struct mapping *m, const char *value)
{
	char		*copy, *w[4];
	size_t		 n;
	unsigned int	 k;
	long long	 v;

	m->midi_line = ctx->lineno;
	copy = xstrdup(value);
	n = config_words(copy, w, nitems(w));
	if (n != 2 && n != 4) {
		config_error(ctx, "midi wants 'KIND NUMBER [channel N]': %s",
		    value);
		goto out;
	}
	for (k = 0; k < KIND_MAX; k++) {
		if (strcasecmp(w[0], config_kinds[k]) == 0)
			break;
	}
	if (k == KIND_MAX) {
		config_error(ctx, "unknown midi message kind: %s", w[0]);
		goto out;
	}
	m->kind = k;
	if (config_number(ctx, k == KIND_CC ? "controller" : "note", w[1],
	    0, 127, &v) == 0)
		m->number = v;
	if (n == 4) {
		if (strcasecmp(w[2], "channel") != 0)
			config_error(ctx, "expected 'channel', not: %s", w[2]);
		else if (strcasecmp(w[3], "any") == 0)
			m->channel = -1;
		else if (config_number(ctx, "channel", w[3], 1, 16, &v) == 0)
			m->channel = v - 1;
	}
out:
	free(copy);
}

/*
 * Parse a control: a plain element name, or amixer's form
 * name='...'[,index=N][,iface=...].  numid= is refused: numids change
 * between kernel versions, names do not.
 */
static void
config_parse_control(struct config_ctx *ctx, struct mapping *m,
    const char *value)
{
	snd_ctl_elem_id_t	*id;
	const char		*name;

	m->control_line = ctx->lineno;
	if (strstr(value, "numid=") != NULL) {
		config_error(ctx, "name controls, not numids (numids change "
		    "between kernels): %s", value);
		return;
	}
	if (strncmp(value, "name=", 5) != 0 &&
	    strncmp(value, "iface=", 6) != 0) {
		if (strlen(value) >= CONFIG_NAME_MAX) {
			config_error(ctx, "control name is too long: %s",
			    value);
			return;
		}
		m->control = xstrdup(value);
		m->index = 0;
		return;
	}
	snd_ctl_elem_id_alloca(&id);
	if (snd_ctl_ascii_elem_id_parse(id, value) < 0) {
		config_error(ctx, "bad control id: %s", value);
		return;
	}
	name = snd_ctl_elem_id_get_name(id);
	if (*name == '\0') {
		config_error(ctx, "control id has no name: %s", value);
		return;
	}
	m->control = xstrdup(name);
	m->index = snd_ctl_elem_id_get_index(id);
}

/* A section ended: one without keys is a mistake. */
static void
config_end_section(struct config_ctx *ctx)
{
	unsigned int	 line = ctx->lineno;

	if (ctx->section != NULL && !ctx->section_keys && !ctx->section_bad) {
		ctx->lineno = ctx->section_line;
		config_error(ctx, "[%s] has no keys", ctx->section);
		ctx->lineno = line;
	}
	free(ctx->section);
	ctx->section = NULL;
	ctx->section_bad = 0;
	ctx->m = NULL;
	ctx->seen = 0;
}

/* A section starts; complain if this file had it before. */
static void
config_begin_section(struct config_ctx *ctx, const char *section)
{
	unsigned int	 i;

	config_end_section(ctx);
	ctx->section = xstrdup(section);
	ctx->section_line = ctx->lineno;
	ctx->section_keys = 0;
	for (i = 0; i < ctx->nsections; i++) {
		if (strcmp(ctx->sections[i], section) == 0) {
			config_error(ctx, "section [%s] already defined at "
			    "line %u", section, ctx->section_lines[i]);
			ctx->section_bad = 1;
			return;
		}
	}
	ctx->sections = xreallocarray(ctx->sections, ctx->nsections + 1,
	    sizeof(*ctx->sections));
	ctx->section_lines = xreallocarray(ctx->section_lines,
	    ctx->nsections + 1, sizeof(*ctx->section_lines));
	ctx->sections[ctx->nsections] = xstrdup(section);
	ctx->section_lines[ctx->nsections] = ctx->lineno;
	ctx->nsections++;
}

/* Handle a key of [card]. */
static void
config_key_card(struct config_ctx *ctx, const char *name, const char *value)
{
	struct config	*conf = ctx->conf;

	if (strcmp(name, "name") != 0) {
		config_error(ctx, "unknown key in [card]: %s", name);
		return;
	}
	if (*value == '\0') {
		config_error(ctx, "card name is empty");
		return;
	}
	if (conf->card != NULL) {
		if (strcmp(conf->card, value) == 0)
			return;
		config_error(ctx, "card '%s' differs from '%s' at %s:%u",
		    value, conf->card, conf->card_file, conf->card_line);
		return;
	}
	conf->card = xstrdup(value);
	conf->card_file = ctx->path;
	conf->card_line = ctx->lineno;
}

/* Handle a key of [surface]. */
static void
config_key_surface(struct config_ctx *ctx, const char *name,
    const char *value)
{
	struct port	*p;

	if (strcmp(name, "port") != 0) {
		config_error(ctx, "unknown key in [surface]: %s", name);
		return;
	}
	if (*value == '\0') {
		config_error(ctx, "port is empty");
		return;
	}
	p = xcalloc(1, sizeof(*p));
	p->file = ctx->path;
	p->line = ctx->lineno;
	p->pattern = xstrdup(value);
	TAILQ_INSERT_TAIL(&ctx->conf->ports, p, entry);
}

/* Handle a key of a mapping section. */
static void
config_key_mapping(struct config_ctx *ctx, const char *name,
    const char *value)
{
	struct mapping	*m;
	unsigned int	 i;
	long long	 v;

	for (i = 0; i < nitems(config_keys); i++) {
		if (strcmp(name, config_keys[i].name) == 0)
			break;
	}
	if (i == nitems(config_keys)) {
		config_error(ctx, "unknown key: %s", name);
		return;
	}
	if (ctx->seen & (1U << i)) {
		config_error(ctx, "%s is set twice", name);
		return;
	}
	ctx->seen |= 1U << i;
	if (*value == '\0') {
		config_error(ctx, "%s is empty", name);
		return;
	}

	if ((m = ctx->m) == NULL) {
		m = xcalloc(1, sizeof(*m));
		m->file = ctx->path;
		m->name = xstrdup(ctx->section);
		m->line = ctx->section_line;
		m->kind = KIND_MAX;
		m->channel = 0;
		m->elem_channel = -1;
		TAILQ_INSERT_TAIL(&ctx->conf->mappings, m, entry);
		ctx->conf->nmappings++;
		ctx->m = m;
	}

	switch (config_keys[i].key) {
	case KEY_MIDI:
		config_parse_midi(ctx, m, value);
		break;
	case KEY_CONTROL:
		config_parse_control(ctx, m, value);
		break;
	case KEY_CONTROL_CHANNEL:
		if (config_number(ctx, "control-channel", value, 1, 1024,
		    &v) == 0)
			m->elem_channel = v - 1;
		break;
	}
}

/* The inih callback: dispatch by section.  Always returns 1. */
static int
config_handler(void *arg, const char *section, const char *name,
    const char *value)
{
	struct config_ctx	*ctx = arg;

	(void)section;
	if (name == NULL || ctx->section_bad)
		return (1);
	ctx->section_keys = 1;
	if (ctx->section == NULL)
		config_error(ctx, "key outside a section: %s", name);
	else if (strcmp(ctx->section, "card") == 0)
		config_key_card(ctx, name, value);
	else if (strcmp(ctx->section, "surface") == 0)
		config_key_surface(ctx, name, value);
	else
		config_key_mapping(ctx, name, value);
	return (1);
}

/*
 * Look at a line before inih does: track sections, and report lines
 * inih would refuse, so that every bad line gets its own message.  The
 * line is blanked when it is bad or a section header.  Leading white
 * space is dropped, so indenting never continues the previous value.
 */
static void
config_scan(struct config_ctx *ctx, char *buf)
{
	char	*p, *end;

	for (p = buf; isspace((unsigned char)*p); p++)
		continue;
	memmove(buf, p, strlen(p) + 1);
	if (*buf == '\0' || *buf == ';' || *buf == '#')
		return;
	if (*buf == '[') {
		if ((end = strchr(buf, ']')) == NULL) {
			config_end_section(ctx);
			config_error(ctx, "syntax error: no ] after [");
			ctx->section_bad = 1;
		} else {
			*end = '\0';
			config_begin_section(ctx, buf + 1);
			*end = ']';
			return;
		}
	} else if (strpbrk(buf, "=:") == NULL)
		config_error(ctx, "syntax error: not a [section] nor a "
		    "key = value");
	else
		return;
	buf[0] = '\0';
}

/*
 * The inih line reader: counts lines so errors can name them, and turns
 * an over-long line into an error rather than letting inih split it.
 */
static char *
config_reader(char *buf, int size, void *arg)
{
	struct config_ctx	*ctx = arg;
	size_t			 len;
	int			 c;

	if (fgets(buf, size, ctx->fp) == NULL)
		return (NULL);
	ctx->lineno++;
	len = strlen(buf);
	if ((len > 0 && buf[len - 1] == '\n') ||
	    (c = fgetc(ctx->fp)) == EOF || c == '\n') {
		/* The whole line fits. */
		config_scan(ctx, buf);
		return (buf);
	}
	while ((c = fgetc(ctx->fp)) != EOF && c != '\n')
		continue;
	config_error(ctx, "line is too long (%d characters at most)",
	    size - 1);
	buf[0] = '\0';
	return (buf);
}

/* Check that each mapping read from this file is complete. */
static void
config_validate(struct config_ctx *ctx, struct mapping *first)
{
	struct mapping	*m;

	for (m = first; m != NULL; m = TAILQ_NEXT(m, entry)) {
		ctx->lineno = m->line;
		if (m->midi_line == 0)
			config_error(ctx, "[%s] has no midi", m->name);
		if (m->control == NULL && m->control_line == 0)
			config_error(ctx, "[%s] has no control", m->name);
	}
}

/* Parse an open stream; the path is used in messages. */
static int
config_load_stream(struct config *conf, const char *path, FILE *fp)
{
	struct config_ctx	 ctx;
	struct mapping		*last;
	unsigned int		 i;
	int			 rv;

	memset(&ctx, 0, sizeof(ctx));
	ctx.conf = conf;
	ctx.fp = fp;
	conf->files = xreallocarray(conf->files, conf->nfiles + 1,
	    sizeof(*conf->files));
	conf->files[conf->nfiles] = xstrdup(path);
	ctx.path = conf->files[conf->nfiles++];

	last = TAILQ_LAST(&conf->mappings, mappings);
	rv = ini_parse_stream(config_reader, &ctx, config_handler, &ctx);
	config_end_section(&ctx);
	if (rv > 0) {
		ctx.lineno = rv;
		config_error(&ctx, "syntax error");
	} else if (rv < 0) {
		ctx.lineno = 0;
		config_error(&ctx, "cannot parse");
	}
	config_validate(&ctx, last == NULL ? TAILQ_FIRST(&conf->mappings) :
	    TAILQ_NEXT(last, entry));

	for (i = 0; i < ctx.nsections; i++)
		free(ctx.sections[i]);
	free(ctx.sections);
	free(ctx.section_lines);
	if (ctx.nerr > 0) {
		log_warnx("%u error%s in %s", ctx.nerr,
		    ctx.nerr == 1 ? "" : "s", path);
		return (-EINVAL);
	}
	return (0);
}

/* Parse a mapping file held in memory (tests and fuzzers use this). */
int
config_load_buffer(struct config *conf, const char *path, const char *buf,
    size_t len)
{
	FILE	*fp;
	int	 rv;

	if (len == 0)
		return (0);
	if ((fp = fmemopen((void *)buf, len, "r")) == NULL)
		return (-errno);
	rv = config_load_stream(conf, path, fp);
	fclose(fp);
	return (rv);
}

/* Parse one file. */
static int
config_load_file(struct config *conf, const char *path)
{
	FILE	*fp;
	int	 rv;

	if ((fp = fopen(path, "re")) == NULL) {
		rv = -errno;
		log_warn("%s", path);
		return (rv);
	}
	rv = config_load_stream(conf, path, fp);
	fclose(fp);
	return (rv);
}

/* scandir() filter: visible files ending in ".ini". */
static int
config_is_ini(const struct dirent *d)
{
	size_t	 len = strlen(d->d_name);

	return (d->d_name[0] != '.' && len > 4 &&
	    strcmp(d->d_name + len - 4, ".ini") == 0);
}

/*
 * Load a mapping file, or every *.ini file of a directory in name order.
 * Errors are logged; any error in any file fails the whole load, so the
 * caller can keep its previous configuration.
 */
int
config_load(struct config *conf, const char *path)
{
	struct stat	  st;
	struct dirent	**list;
	char		 *file;
	int		  i, n, rv, err = 0;

	if (stat(path, &st) == -1) {
		rv = -errno;
		log_warn("%s", path);
		return (rv);
	}
	if (!S_ISDIR(st.st_mode))
		return (config_load_file(conf, path));

	if ((n = scandir(path, &list, config_is_ini, alphasort)) == -1) {
		rv = -errno;
		log_warn("%s", path);
		return (rv);
	}
	if (n == 0)
		log_warnx("%s: no .ini files", path);
	for (i = 0; i < n; i++) {
		xasprintf(&file, "%s/%s", path, list[i]->d_name);
		if ((rv = config_load_file(conf, file)) < 0 && err == 0)
			err = rv;
		free(file);
		free(list[i]);
	}
	free(list);
	return (n == 0 ? -ENOENT : err);
}

/* Print a control the way it can be read back. */
static void
config_print_control(const struct mapping *m, FILE *fp)
{
	int	 q;

	if (m->index == 0 && strncmp(m->control, "name=", 5) != 0 &&
	    strncmp(m->control, "iface=", 6) != 0) {
		fprintf(fp, "control = %s\n", m->control);
		return;
	}
	/* alsa-lib's parser has no escapes: pick the quote not in the name. */
	q = strchr(m->control, '\'') == NULL ? '\'' : '"';
	fprintf(fp, "control = name=%c%s%c,index=%u\n", q, m->control, q,
	    m->index);
}

/* Print the configuration in normal form: what -n -v shows. */
void
config_print(const struct config *conf, FILE *fp)
{
	const struct port	*p;
	const struct mapping	*m;
	const char		*sep = "";

	if (conf->card != NULL) {
		fprintf(fp, "[card]\nname = %s\n", conf->card);
		sep = "\n";
	}
	if (!TAILQ_EMPTY(&conf->ports)) {
		fprintf(fp, "%s[surface]\n", sep);
		TAILQ_FOREACH(p, &conf->ports, entry)
			fprintf(fp, "port = %s\n", p->pattern);
		sep = "\n";
	}
	TAILQ_FOREACH(m, &conf->mappings, entry) {
		fprintf(fp, "%s[%s]\n", sep, m->name);
		fprintf(fp, "midi = %s %d channel ", config_kinds[m->kind],
		    m->number);
		if (m->channel == -1)
			fputs("any\n", fp);
		else
			fprintf(fp, "%d\n", m->channel + 1);
		config_print_control(m, fp);
		if (m->elem_channel != -1)
			fprintf(fp, "control-channel = %d\n",
			    m->elem_channel + 1);
		sep = "\n";
	}
}
