/*
 * Read mapping files through libinih into a struct config.  It is long
 * for one concern: the key table, each key's parser and the checks
 * across sections share one parse context.
 */

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <alsa/asoundlib.h>
#include <ini.h>

#include "compat.h"
#include "config.h"
#include "log.h"
#include "xmalloc.h"

/* ALSA element names fit in 44 bytes with their NUL. */
#define CONFIG_NAME_MAX	44

/* The keys a mapping section knows, table-driven as tmux does options. */
enum config_key {
	KEY_MIDI,
	KEY_CONTROL,
	KEY_CONTROL_CHANNEL,
	KEY_MODE,
	KEY_VALUE,
	KEY_ENCODER,
	KEY_STEP,
	KEY_MIN,
	KEY_MAX,
	KEY_INVERT,
	KEY_CURVE,
	KEY_MIDI_MIN,
	KEY_MIDI_MAX,
	KEY_TAKEOVER,
	KEY_LAYER,
	KEY_ACTION,
	KEY_ON,
	KEY_OFF,
	KEY_TOUCH,
	KEY_FEEDBACK,
	KEY_CARD,
	KEY_SNAPSHOT_ALL,
	KEY_FEEDBACK_MIDI,
	KEY_RING,
	KEY_MACKIE_METER,
	KEY_STRIP,
	KEY_LABEL,
	KEY_COUNT
};

/* A section name seen in a file, and its line. */
struct config_section {
	char		*name;		/* NULL: an empty slot */
	unsigned int	 line;
};

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
	int		 prev_key;	/* after a key: lines continue it */
	int		 continued;	/* this line continues that key */
	struct mapping	*m;		/* the mapping being read, if any */
	unsigned int	 seen;		/* keys of m already set, a bit each */
	unsigned int	 key_line[KEY_COUNT];	/* where each was set */
	int		 file_card;	/* this file's [card], or -1 */
	unsigned int	 sset;		/* its [surface] settings */
	int		 sval[SURFACE_KEYS];
	unsigned int	 sline[SURFACE_KEYS];
	struct config_section *sections; /* a hash of those seen */
	size_t		 nslots;	/* a power of 2, or 0 */
	size_t		 nsections;
};

static const char *config_keys[KEY_COUNT] = {
	[KEY_MIDI] = "midi",
	[KEY_CONTROL] = "control",
	[KEY_CONTROL_CHANNEL] = "control-channel",
	[KEY_MODE] = "mode",
	[KEY_VALUE] = "value",
	[KEY_ENCODER] = "encoder",
	[KEY_STEP] = "step",
	[KEY_MIN] = "min",
	[KEY_MAX] = "max",
	[KEY_INVERT] = "invert",
	[KEY_CURVE] = "curve",
	[KEY_MIDI_MIN] = "midi-min",
	[KEY_MIDI_MAX] = "midi-max",
	[KEY_TAKEOVER] = "takeover",
	[KEY_LAYER] = "layer",
	[KEY_ACTION] = "action",
	[KEY_ON] = "on",
	[KEY_OFF] = "off",
	[KEY_TOUCH] = "touch",
	[KEY_FEEDBACK] = "feedback",
	[KEY_CARD] = "card",
	[KEY_SNAPSHOT_ALL] = "snapshot-all",
	[KEY_FEEDBACK_MIDI] = "feedback-midi",
	[KEY_RING] = "ring",
	[KEY_MACKIE_METER] = "mackie-meter",
	[KEY_STRIP] = "strip",
	[KEY_LABEL] = "label",
};

/* The MIDI message kinds: names, whether a number follows, value range. */
static const struct {
	const char	*name;
	int		 numbered;
	int		 number_max;
	long		 value_max;
} config_kinds[KIND_MAX] = {
	[KIND_CC] =		{ "cc", 1, 127, 127 },
	[KIND_CC14] =		{ "cc14", 1, 31, 16383 },
	[KIND_NRPN] =		{ "nrpn", 1, 16383, 127 },
	[KIND_NRPN14] =		{ "nrpn14", 1, 16383, 16383 },
	[KIND_RPN] =		{ "rpn", 1, 16383, 127 },
	[KIND_RPN14] =		{ "rpn14", 1, 16383, 16383 },
	[KIND_NOTE] =		{ "note", 1, 127, 127 },
	[KIND_PITCHBEND] =	{ "pitchbend", 0, 0, 16383 },
	[KIND_AFTERTOUCH] =	{ "aftertouch", 0, 0, 127 },
	[KIND_POLY_AT] =	{ "poly-aftertouch", 1, 127, 127 },
	[KIND_PROGRAM] =	{ "program", 1, 127, 127 },
};

/* Keyword values, in the order of their enums. */
static const char *config_modes[] = {
	"default", "absolute", "momentary", "toggle", "set", "up", "down", NULL
};
static const char *config_encoders[] = {
	"none", "twos-complement", "sign-magnitude",
	"sign-magnitude-inverted", "binary-offset", NULL
};
static const char *config_rings[] = {
	"none", "dot", "boost-cut", "wrap", "spread", NULL
};
static const char *config_displays[] = {
	"none", "mackie", "mackie-extender", NULL
};
static const char *config_curves[] = { "linear", "db", "taper", NULL };
static const char *config_takeovers[] = {
	"default", "jump", "pickup", NULL
};
static const char *config_actions[] = {
	"none", "layer", "recall", "save", NULL
};

static void	config_resolve(struct config *);
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
	return (config_kinds[kind].name);
}

/* Whether a kind is followed by a number (a CC, a note, ...). */
int
config_kind_numbered(enum midi_kind kind)
{
	return (config_kinds[kind].numbered);
}

/* The largest value a message of a kind carries: 127 or 16383. */
long
config_kind_max(enum midi_kind kind)
{
	return (config_kinds[kind].value_max);
}

/* Allocate an empty configuration with the defaults of [surface]. */
struct config *
config_create(void)
{
	struct config	*conf;

	conf = xcalloc(1, sizeof(*conf));
	TAILQ_INIT(&conf->ports);
	TAILQ_INIT(&conf->fsurfaces);
	TAILQ_INIT(&conf->mappings);
	/* The files with no port, and the defaults. */
	conf->surfaces = xcalloc(1, sizeof(*conf->surfaces));
	conf->surfaces[0].ports = xstrdup("");
	conf->nsurfaces = 1;
	config_resolve(conf);
	return (conf);
}

/* Free one mapping. */
static void
config_free_mapping(struct mapping *m)
{
	unsigned int	 i;

	for (i = 0; i < m->ncontrols; i++)
		free(m->controls[i].name);
	free(m->controls);
	free(m->value.name);
	free(m->step.name);
	free(m->min.name);
	free(m->max.name);
	free(m->action_arg);
	free(m->label);
	free(m->name);
	free(m);
}

/* Free a configuration and everything it owns. */
void
config_free(struct config *conf)
{
	struct mapping	*m, *m1;
	struct port	*p, *p1;
	struct config_surface *cs, *cs1;
	unsigned int	 i;

	if (conf == NULL)
		return;
	TAILQ_FOREACH_SAFE(cs, &conf->fsurfaces, entry, cs1) {
		TAILQ_REMOVE(&conf->fsurfaces, cs, entry);
		for (i = 0; i < cs->nconnect; i++)
			free(cs->connect[i].bytes);
		free(cs->connect);
		free(cs);
	}
	TAILQ_FOREACH_SAFE(m, &conf->mappings, entry, m1) {
		TAILQ_REMOVE(&conf->mappings, m, entry);
		config_free_mapping(m);
	}
	TAILQ_FOREACH_SAFE(p, &conf->ports, entry, p1) {
		TAILQ_REMOVE(&conf->ports, p, entry);
		free(p->pattern);
		free(p);
	}
	for (i = 0; i < conf->nfiles; i++)
		free(conf->files[i]);
	free(conf->files);
	for (i = 0; i < conf->nlayers; i++)
		free(conf->layers[i]);
	free(conf->layers);
	for (i = 0; i < conf->nsurfaces; i++)
		free(conf->surfaces[i].ports);
	free(conf->surfaces);
	for (i = 0; i < conf->ncards; i++)
		free(conf->cards[i]);
	free(conf->cards);
	free(conf->snapshots);
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

/* Find a keyword in a NULL-terminated list, ignoring case; -1 if none. */
static int
config_keyword(const char **list, const char *s)
{
	int	 i;

	for (i = 0; list[i] != NULL; i++) {
		if (strcasecmp(list[i], s) == 0)
			return (i);
	}
	return (-1);
}

/*
 * Parse a keyword of a list from its entry "first" on (the ones before
 * are internal, such as "default"); -1 with an error listing them.
 */
static int
config_choice(struct config_ctx *ctx, const char *what, const char **list,
    int first, const char *s)
{
	char	 buf[128];
	size_t	 len = 0;
	int	 i;

	if ((i = config_keyword(list, s)) >= first)
		return (i);
	buf[0] = '\0';
	for (i = first; list[i] != NULL && len < sizeof(buf); i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
		    i > first ? ", " : "", list[i]);
	config_error(ctx, "%s is not one of %s: %s", what, buf, s);
	return (-1);
}

/* Parse yes/no, on/off, true/false; -1 with an error otherwise. */
static int
config_bool(struct config_ctx *ctx, const char *what, const char *s)
{
	static const char	*yes[] = { "yes", "on", "true", NULL };
	static const char	*no[] = { "no", "off", "false", NULL };

	if (config_keyword(yes, s) != -1)
		return (1);
	if (config_keyword(no, s) != -1)
		return (0);
	config_error(ctx, "%s is not yes or no: %s", what, s);
	return (-1);
}

/*
 * Parse a value: a whole number of element units, a number of dB such as
 * "-60dB" or "-6.5 dB" (kept in 0.01 dB), or, when names are allowed,
 * anything else as an enum item or switch state name.
 */
static void
config_parse_value(struct config_ctx *ctx, const char *what, const char *s,
    int names, struct config_value *cv)
{
	const char	*p = s;
	long long	 whole = 0, frac = 0;
	int		 neg = 0, digits = 0, fdigits = 0;

	cv->line = ctx->lineno;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; isdigit((unsigned char)*p) && digits < 9; p++, digits++)
		whole = whole * 10 + (*p - '0');
	if (digits > 0 && *p == '.') {
		for (p++; isdigit((unsigned char)*p); p++) {
			if (fdigits < 2)
				frac = frac * 10 + (*p - '0');
			fdigits++;
		}
		if (fdigits == 1)
			frac *= 10;
	}
	while (digits > 0 && isspace((unsigned char)*p))
		p++;
	if (digits > 0 && !isdigit((unsigned char)*p) &&
	    strcasecmp(p, "db") == 0) {
		cv->type = VAL_DB;
		cv->number = (long)(whole * 100 + frac) * (neg ? -1 : 1);
		return;
	}
	if (digits > 0 && *p == '\0') {
		if (fdigits > 0) {
			config_error(ctx, "%s in element units is a whole "
			    "number (or give dB): %s", what, s);
			return;
		}
		cv->type = VAL_NUMBER;
		cv->number = (long)whole * (neg ? -1 : 1);
		return;
	}
	if (!names || digits > 0 || *s == '-' || *s == '+') {
		config_error(ctx, "%s is not a number or a dB value: %s", what,
		    s);
		return;
	}
	cv->type = VAL_NAME;
	cv->name = xstrdup(s);
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

/* Parse "midi = KIND [NUMBER] [channel N|any]". */
static void
config_parse_midi(struct config_ctx *ctx, struct mapping *m, const char *value)
{
	char		*copy, *w[5], **rest;
	size_t		 n;
	unsigned int	 k;
	long long	 v;

	m->midi_line = ctx->lineno;
	copy = xstrdup(value);
	n = config_words(copy, w, nitems(w));
	for (k = 0; k < KIND_MAX && n > 0; k++) {
		if (strcasecmp(w[0], config_kinds[k].name) == 0)
			break;
	}
	if (n == 0 || k == KIND_MAX) {
		config_error(ctx, "unknown midi message kind: %s",
		    n == 0 ? value : w[0]);
		goto out;
	}
	m->kind = k;
	rest = w + 1 + config_kinds[k].numbered;
	if ((n != 1 + (size_t)config_kinds[k].numbered &&
	    n != 3 + (size_t)config_kinds[k].numbered) ||
	    (n > 1 && config_kinds[k].numbered &&
	    strcasecmp(w[1], "channel") == 0)) {
		config_error(ctx, "midi wants '%s%s [channel N]': %s",
		    config_kinds[k].name, config_kinds[k].numbered ?
		    " NUMBER" : "", value);
		goto out;
	}
	if (config_kinds[k].numbered && config_number(ctx,
	    k == KIND_CC || k == KIND_CC14 ? "controller" :
	    k == KIND_NOTE || k == KIND_POLY_AT ? "note" :
	    k == KIND_PROGRAM ? "program" : "parameter", w[1], 0,
	    config_kinds[k].number_max, &v) == 0)
		m->number = v;
	if (rest < w + n) {
		if (strcasecmp(rest[0], "channel") != 0)
			config_error(ctx, "expected 'channel', not: %s",
			    rest[0]);
		else if (strcasecmp(rest[1], "any") == 0)
			m->channel = -1;
		else if (config_number(ctx, "channel", rest[1], 1, 16,
		    &v) == 0)
			m->channel = v - 1;
	}
out:
	free(copy);
}

/*
 * Parse "feedback-midi = KIND [NUMBER] [channel N]": the message the
 * feedback goes out as.  Without a channel, the input's.
 */
static void
config_parse_feedback_midi(struct config_ctx *ctx, struct mapping *m,
    const char *value)
{
	struct mapping	 fb;
	unsigned int	 nerr = ctx->nerr;

	memset(&fb, 0, sizeof(fb));
	fb.kind = KIND_MAX;
	fb.channel = -2;
	config_parse_midi(ctx, &fb, value);
	if (ctx->nerr != nerr)
		return;
	if (fb.kind == KIND_PROGRAM) {
		config_error(ctx, "feedback-midi cannot be a program change");
		return;
	}
	m->fb_kind = fb.kind;
	m->fb_number = fb.number;
	m->fb_channel = fb.channel < 0 ? -1 : fb.channel;
}

/* Whether a name holds fnmatch(3) wildcards. */
static int
config_is_pattern(const char *s)
{
	return (strpbrk(s, "*?[") != NULL);
}

/*
 * Whether an amixer-style id ("iface=PCM,name='ELD',device=3") gives a
 * field: at its start or after a comma, so "device" is not found in
 * "subdevice" (a name with such text in quotes is not looked into).
 */
static int
config_id_has(const char *id, const char *key)
{
	const char	*p;
	size_t		 len = strlen(key);
	int		 quote = 0;

	for (p = id; *p != '\0'; p++) {
		if (*p == '\'' || *p == '"')
			quote = quote == *p ? 0 : quote == 0 ? *p : quote;
		if (quote == 0 && (p == id || p[-1] == ',') &&
		    strncmp(p, key, len) == 0 && p[len] == '=')
			return (1);
	}
	return (0);
}

/*
 * Parse a control: a plain element name (wildcards allowed), or amixer's
 * form name='...'[,index=N][,iface=...].  numid= is refused: numids
 * change between kernel versions, names do not.
 */
static void
config_parse_control(struct config_ctx *ctx, struct mapping *m,
    const char *value)
{
	snd_ctl_elem_id_t	*id;
	struct control		*c;
	const char		*name;
	unsigned int		 index = 0;
	int			 iface = -1, device = -1, subdevice = -1;

	if (strstr(value, "numid=") != NULL) {
		config_error(ctx, "name controls, not numids (numids change "
		    "between kernels): %s", value);
		return;
	}
	if (strncmp(value, "name=", 5) != 0 &&
	    strncmp(value, "iface=", 6) != 0 &&
	    strncmp(value, "device=", 7) != 0 &&
	    strncmp(value, "subdevice=", 10) != 0)
		name = value;
	else {
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
		index = snd_ctl_elem_id_get_index(id);
		/* What the id does not say matches any, as amixer finds. */
		if (config_id_has(value, "iface"))
			iface = snd_ctl_elem_id_get_interface(id);
		if (config_id_has(value, "device"))
			device = snd_ctl_elem_id_get_device(id);
		if (config_id_has(value, "subdevice"))
			subdevice = snd_ctl_elem_id_get_subdevice(id);
	}
	if (strlen(name) >= CONFIG_NAME_MAX && !config_is_pattern(name)) {
		config_error(ctx, "control name is too long: %s", value);
		return;
	}
	m->controls = xreallocarray(m->controls, m->ncontrols + 1,
	    sizeof(*m->controls));
	c = &m->controls[m->ncontrols++];
	c->name = xstrdup(name);
	c->index = index;
	c->iface = iface;
	c->device = device;
	c->subdevice = subdevice;
	c->pattern = config_is_pattern(name);
	c->line = ctx->lineno;
}


/*
 * The index of a name in a list of names (layers, cards), added at the
 * end if new.
 */
static int
config_intern(char ***names, unsigned int *n, const char *name)
{
	unsigned int	 i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*names)[i], name) == 0)
			return (i);
	}
	*names = xreallocarray(*names, *n + 1, sizeof(**names));
	(*names)[*n] = xstrdup(name);
	return ((*n)++);
}

/* Parse "action = layer NAME | recall NAME | save NAME". */
static void
config_parse_action(struct config_ctx *ctx, struct mapping *m,
    const char *value)
{
	char	*copy, *w[3];
	int	 a;

	copy = xstrdup(value);
	if (config_words(copy, w, nitems(w)) != 2 ||
	    (a = config_keyword(config_actions, w[0])) <= 0)
		config_error(ctx, "action wants 'layer NAME', 'recall NAME' "
		    "or 'save NAME': %s", value);
	else if (a != ACTION_LAYER && (strchr(w[1], '/') != NULL ||
	    w[1][0] == '.'))
		config_error(ctx, "snapshot name may not hold '/' or start "
		    "with '.': %s", w[1]);
	else {
		m->action = a;
		if (a == ACTION_LAYER)
			m->action_layer = config_intern(&ctx->conf->layers,
			    &ctx->conf->nlayers, w[1]);
		else
			m->action_arg = xstrdup(w[1]);
	}
	free(copy);
}

/*
 * Parse "touch = note N [channel N]".  The channel defaults to 1: Mackie
 * surfaces send every fader's touch note there, whatever the channel of
 * the fader's pitch bend.
 */
static void
config_parse_touch(struct config_ctx *ctx, struct mapping *m,
    const char *value)
{
	char		*copy, *w[5];
	size_t		 n;
	long long	 v;

	copy = xstrdup(value);
	n = config_words(copy, w, nitems(w));
	if ((n != 2 && n != 4) || strcasecmp(w[0], "note") != 0 ||
	    (n == 4 && strcasecmp(w[2], "channel") != 0))
		config_error(ctx, "touch wants 'note N [channel N]': %s",
		    value);
	else if (config_number(ctx, "note", w[1], 0, 127, &v) == 0) {
		m->touch = v;
		if (n == 4 && config_number(ctx, "touch channel", w[3], 1, 16,
		    &v) == 0)
			m->touch_channel = v - 1;
	}
	free(copy);
}

/*
 * The feedback keys of a mapping: a ring is for values only.  The
 * feedback range is the input's, or the whole range of another kind of
 * feedback message.
 */
static void
config_check_feedback(struct config_ctx *ctx, struct mapping *m)
{
	int	 kind = m->fb_kind != KIND_MAX ? m->fb_kind : (int)m->kind;

	if (m->ring != RING_NONE && (m->action != ACTION_NONE ||
	    m->mode != MODE_ABSOLUTE)) {
		ctx->lineno = ctx->key_line[KEY_RING];
		config_error(ctx, "ring is only for values (mode = "
		    "absolute); buttons show on and off");
		return;
	}
	if (m->mackie_meter != -1 && (m->action != ACTION_NONE ||
	    m->mode != MODE_ABSOLUTE || m->ring != RING_NONE ||
	    m->fb_kind != KIND_MAX)) {
		ctx->lineno = ctx->key_line[KEY_MACKIE_METER];
		config_error(ctx, "mackie-meter is its own feedback: a value, "
		    "with no ring or feedback-midi");
		return;
	}
	if (kind == (int)m->kind) {
		m->fb_min = m->midi_min;
		m->fb_max = m->midi_max;
	} else {
		m->fb_min = 0;
		m->fb_max = config_kinds[kind].value_max;
	}
}

/*
 * A mapping section ended: check that its keys make sense together, and
 * resolve the defaults that depend on the kind.  Errors name the line of
 * the key at fault.
 */
static void
config_check_mapping(struct config_ctx *ctx, struct mapping *m)
{
	unsigned int	*kl = ctx->key_line, line = ctx->lineno;
	long		 top;

#define CHECK_AT(key) (ctx->lineno = kl[key] != 0 ? kl[key] : m->line)
	CHECK_AT(KEY_MIDI);
	if (m->midi_line == 0)
		config_error(ctx, "[%s] has no midi", m->name);
	if (m->action == ACTION_NONE && m->ncontrols == 0 &&
	    kl[KEY_CONTROL] == 0 && kl[KEY_ACTION] == 0) {
		ctx->lineno = m->line;
		config_error(ctx, "[%s] has no control", m->name);
	}
	if (kl[KEY_ACTION] != 0 && kl[KEY_CONTROL] != 0) {
		CHECK_AT(KEY_ACTION);
		config_error(ctx, "action and control exclude each other");
	}
	if (m->kind == KIND_MAX)
		goto out;

	top = config_kinds[m->kind].value_max;
	if (m->midi_max == -1)
		m->midi_max = top;
	if (m->midi_max > top) {
		CHECK_AT(KEY_MIDI_MAX);
		config_error(ctx, "midi-max is above %ld, the top of %s",
		    top, config_kinds[m->kind].name);
	} else if (m->midi_min >= m->midi_max) {
		CHECK_AT(KEY_MIDI_MIN);
		config_error(ctx, "midi-min must be below midi-max");
	}

	if (m->mode == MODE_DEFAULT) {
		if (m->action != ACTION_NONE || m->kind == KIND_PROGRAM)
			m->mode = MODE_SET;
		else if (m->kind == KIND_NOTE)
			m->mode = MODE_MOMENTARY;
		else
			m->mode = MODE_ABSOLUTE;
	} else {
		CHECK_AT(KEY_MODE);
		if (m->action != ACTION_NONE && m->mode != MODE_SET &&
		    (m->mode != MODE_MOMENTARY || m->action != ACTION_LAYER))
			config_error(ctx, "an action takes mode = set, or "
			    "momentary for a layer (shift)");
		else if (m->kind == KIND_PROGRAM &&
		    (m->mode == MODE_ABSOLUTE || m->mode == MODE_MOMENTARY))
			config_error(ctx, "a program change has no release "
			    "and no value: mode = %s does not fit",
			    config_modes[m->mode]);
	}
	if (m->action == ACTION_NONE && m->mode == MODE_SET &&
	    m->value.type == VAL_NONE) {
		CHECK_AT(KEY_MODE);
		config_error(ctx, "mode = set needs a value");
	}
	if (kl[KEY_VALUE] != 0 && m->mode != MODE_SET) {
		CHECK_AT(KEY_VALUE);
		config_error(ctx, "value is only for mode = set");
	}
	if (m->encoder != ENC_NONE) {
		CHECK_AT(KEY_ENCODER);
		if (m->kind != KIND_CC && m->kind != KIND_NRPN &&
		    m->kind != KIND_RPN)
			config_error(ctx, "an encoder sends cc, nrpn or rpn, "
			    "not %s", config_kinds[m->kind].name);
		else if (m->mode != MODE_ABSOLUTE)
			config_error(ctx, "an encoder takes no mode");
	}
	if (kl[KEY_STEP] != 0 && m->encoder == ENC_NONE &&
	    m->mode != MODE_UP && m->mode != MODE_DOWN &&
	    m->kind != KIND_NRPN && m->kind != KIND_NRPN14 &&
	    m->kind != KIND_RPN && m->kind != KIND_RPN14) {
		CHECK_AT(KEY_STEP);
		config_error(ctx, "step is only for encoders, mode = up or "
		    "down, and NRPN/RPN increments");
	}
	if (m->step.type == VAL_NUMBER && m->step.number <= 0) {
		CHECK_AT(KEY_STEP);
		config_error(ctx, "step must be above 0");
	} else if (m->step.type == VAL_DB && m->step.number <= 0) {
		CHECK_AT(KEY_STEP);
		config_error(ctx, "step must be above 0dB");
	}
	if (m->curve != CURVE_LINEAR && m->mode != MODE_ABSOLUTE) {
		CHECK_AT(KEY_CURVE);
		config_error(ctx, "a curve is only for absolute values");
	}
	if (m->touch != -1 && m->mode != MODE_ABSOLUTE) {
		CHECK_AT(KEY_TOUCH);
		config_error(ctx, "touch is only for faders (absolute "
		    "values)");
	}
	if (m->min.type != VAL_NONE && m->max.type == m->min.type &&
	    m->min.number >= m->max.number) {
		CHECK_AT(KEY_MIN);
		config_error(ctx, "min must be below max");
	}
	if (m->action != ACTION_NONE && (kl[KEY_MIN] || kl[KEY_MAX] ||
	    kl[KEY_CURVE] || kl[KEY_INVERT] || kl[KEY_TAKEOVER] ||
	    kl[KEY_ENCODER] || kl[KEY_TOUCH] || kl[KEY_CONTROL_CHANNEL])) {
		CHECK_AT(KEY_ACTION);
		config_error(ctx, "an action takes no control keys");
	}
	if (kl[KEY_SNAPSHOT_ALL] != 0 && m->action != ACTION_SAVE &&
	    m->action != ACTION_RECALL) {
		CHECK_AT(KEY_SNAPSHOT_ALL);
		config_error(ctx, "snapshot-all is only for action = save or "
		    "recall");
	}
	config_check_feedback(ctx, m);
	if ((kl[KEY_STRIP] != 0 || kl[KEY_LABEL] != 0) &&
	    m->action != ACTION_NONE) {
		CHECK_AT(kl[KEY_STRIP] != 0 ? KEY_STRIP : KEY_LABEL);
		config_error(ctx, "an action has no scribble strip");
	} else if (kl[KEY_LABEL] != 0 && kl[KEY_STRIP] == 0) {
		CHECK_AT(KEY_LABEL);
		config_error(ctx, "label is only for a mapping with a strip");
	}
out:
#undef CHECK_AT
	ctx->lineno = line;
}

/*
 * A section ended.  One without keys is only warned about: commenting
 * out the last key of a section must not reject the whole file.
 */
static void
config_end_section(struct config_ctx *ctx)
{
	if (ctx->section != NULL && !ctx->section_keys && !ctx->section_bad)
		log_warnx("%s:%u: [%s] has no keys", ctx->path,
		    ctx->section_line, ctx->section);
	if (ctx->m != NULL)
		config_check_mapping(ctx, ctx->m);
	free(ctx->section);
	ctx->section = NULL;
	ctx->section_bad = 0;
	ctx->m = NULL;
	ctx->seen = 0;
	memset(ctx->key_line, 0, sizeof(ctx->key_line));
}

/*
 * The slot of a section name in the file's hash: where it is, or the
 * empty one where it would go.  A hash keeps files of many thousands of
 * sections as quick to read as small ones.
 */
static struct config_section *
config_section_slot(struct config_section *slots, size_t nslots,
    const char *name)
{
	const unsigned char	*p;
	uint32_t		 h = 2166136261u;	/* FNV-1a */
	size_t			 i;

	for (p = (const unsigned char *)name; *p != '\0'; p++)
		h = (h ^ *p) * 16777619u;
	for (i = h & (nslots - 1);; i = (i + 1) & (nslots - 1))
		if (slots[i].name == NULL || strcmp(slots[i].name, name) == 0)
			return (&slots[i]);
}

/* Double the hash of section names when it is half full. */
static void
config_section_grow(struct config_ctx *ctx)
{
	struct config_section	*old = ctx->sections;
	size_t			 i, n = ctx->nslots;

	ctx->nslots = n == 0 ? 64 : n * 2;
	ctx->sections = xcalloc(ctx->nslots, sizeof(*ctx->sections));
	for (i = 0; i < n; i++) {
		if (old[i].name != NULL)
			*config_section_slot(ctx->sections, ctx->nslots,
			    old[i].name) = old[i];
	}
	free(old);
}

/* A section starts; complain if this file had it before. */
static void
config_begin_section(struct config_ctx *ctx, const char *section)
{
	struct config_section	*slot;

	config_end_section(ctx);
	ctx->section = xstrdup(section);
	ctx->section_line = ctx->lineno;
	ctx->section_keys = 0;
	ctx->prev_key = 0;
	if ((ctx->nsections + 1) * 2 > ctx->nslots)
		config_section_grow(ctx);
	slot = config_section_slot(ctx->sections, ctx->nslots, section);
	if (slot->name != NULL) {
		config_error(ctx, "section [%s] already defined at line %u",
		    section, slot->line);
		ctx->section_bad = 1;
		return;
	}
	slot->name = xstrdup(section);
	slot->line = ctx->lineno;
	ctx->nsections++;
}


/*
 * Handle a key of [card].  Each file names the card of its mappings; the
 * first card named is the default of files that name none.
 */
static void
config_key_card(struct config_ctx *ctx, const char *name, const char *value)
{
	struct config	*conf = ctx->conf;

	if (*value == '\0') {
		config_error(ctx, "%s is empty", name);
		return;
	}
	if (strcmp(name, "name") == 0) {
		if (ctx->file_card != -1) {
			config_error(ctx, "card is set twice");
			return;
		}
		ctx->file_card = config_intern(&conf->cards, &conf->ncards,
		    value);
		if (conf->card == NULL) {
			conf->card = xstrdup(value);
			conf->card_file = ctx->path;
			conf->card_line = ctx->lineno;
		}
	} else if (strcmp(name, "snapshots") == 0) {
		if (conf->snapshots != NULL &&
		    strcmp(conf->snapshots, value) != 0)
			config_error(ctx, "snapshots '%s' differs from '%s' "
			    "set at %s:%u", value, conf->snapshots,
			    conf->snapshots_file, conf->snapshots_line);
		else if (conf->snapshots == NULL) {
			conf->snapshots = xstrdup(value);
			conf->snapshots_file = ctx->path;
			conf->snapshots_line = ctx->lineno;
		}
	} else
		config_error(ctx, "unknown key in [card]: %s", name);
}

/*
 * Set a setting of the file's [surface]: it may be repeated, but not
 * changed.  It becomes its surface's once the file is read.
 */
static void
config_set_surface(struct config_ctx *ctx, enum surface_key key,
    const char *what, int v)
{
	if ((ctx->sset & (1U << key)) && ctx->sval[key] != v) {
		config_error(ctx, "%s differs from the one set at %s:%u",
		    what, ctx->path, ctx->sline[key]);
		return;
	}
	if (!(ctx->sset & (1U << key)))
		ctx->sline[key] = ctx->lineno;
	ctx->sset |= 1U << key;
	ctx->sval[key] = v;
}

/* The lines of a file's ports, sorted: what names its surface. */
static int
config_port_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static char *
config_file_ports(const struct config *conf, const char *file)
{
	const struct port	*p;
	char			**lines = NULL, *s, *prev;
	size_t			 i, n = 0;

	TAILQ_FOREACH(p, &conf->ports, entry) {
		if (p->file != file)
			continue;
		lines = xreallocarray(lines, n + 1, sizeof(*lines));
		xasprintf(&lines[n++], "%sport = %s", p->software ?
		    "software-" : "", p->pattern);
	}
	if (n > 1)
		qsort(lines, n, sizeof(*lines), config_port_cmp);
	s = xstrdup("");
	for (i = 0; i < n; i++) {
		/* The same line twice names the same surface. */
		if (i > 0 && strcmp(lines[i], lines[i - 1]) == 0)
			continue;
		prev = s;
		xasprintf(&s, "%s%s\n", prev, lines[i]);
		free(prev);
	}
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return (s);
}

/*
 * Work out each surface's settings: its own, else those of the files
 * with no port, else the defaults; a layer not set is the first its
 * mappings use.
 */
static const int	 config_surface_defaults[SURFACE_KEYS] = {
	[SURFACE_FEEDBACK_INTERVAL] = CONFIG_FEEDBACK_INTERVAL,
	[SURFACE_TAKEOVER] = TAKEOVER_JUMP,
	[SURFACE_PICKUP_THRESHOLD] = CONFIG_PICKUP_THRESHOLD,
	[SURFACE_LAYER] = -1,
};

/* What a surface's setting is without its own: the shared, or default. */
static int
config_inherited(const struct config *conf, unsigned int i,
    enum surface_key k)
{
	const struct surface	*all = &conf->surfaces[0];

	if (i > 0 && (all->set & (1U << k)))
		return (all->own[k]);
	return (config_surface_defaults[k]);
}

static void
config_resolve(struct config *conf)
{
	const struct mapping	*m;
	struct surface		*s;
	int			 v[SURFACE_KEYS];
	unsigned int		 i, k;

	for (i = 0; i < conf->nsurfaces; i++) {
		s = &conf->surfaces[i];
		for (k = 0; k < SURFACE_KEYS; k++)
			v[k] = (s->set & (1U << k)) ? s->own[k] :
			    config_inherited(conf, i, k);
		if (v[SURFACE_LAYER] == -1) {
			TAILQ_FOREACH(m, &conf->mappings, entry) {
				if (m->surface == (int)i && m->layer != -1 &&
				    (v[SURFACE_LAYER] == -1 ||
				    m->layer < v[SURFACE_LAYER]))
					v[SURFACE_LAYER] = m->layer;
			}
		}
		s->feedback_interval = v[SURFACE_FEEDBACK_INTERVAL];
		s->takeover = v[SURFACE_TAKEOVER];
		s->pickup_threshold = v[SURFACE_PICKUP_THRESHOLD];
		s->layer = v[SURFACE_LAYER];
	}
}

/*
 * A file is read: it joins the surface its ports name (files naming the
 * same ports are one surface), its settings become the surface's, and
 * its mappings are the surface's.  Two files of one surface may repeat
 * a setting, not change it.
 */
static void
config_end_file(struct config_ctx *ctx, struct mapping *first)
{
	static const char	*names[SURFACE_KEYS] = {
		"feedback-interval", "takeover", "pickup-threshold", "layer"
	};
	struct config		*conf = ctx->conf;
	struct surface		*s;
	struct mapping		*m;
	char			*ports;
	unsigned int		 i, k;

	ports = config_file_ports(conf, ctx->path);
	for (i = 0; i < conf->nsurfaces; i++) {
		if (strcmp(conf->surfaces[i].ports, ports) == 0)
			break;
	}
	if (i == conf->nsurfaces) {
		conf->surfaces = xreallocarray(conf->surfaces, i + 1,
		    sizeof(*conf->surfaces));
		memset(&conf->surfaces[i], 0, sizeof(conf->surfaces[i]));
		conf->surfaces[i].ports = ports;
		conf->nsurfaces++;
	} else
		free(ports);
	s = &conf->surfaces[i];
	for (k = 0; k < SURFACE_KEYS; k++) {
		if (!(ctx->sset & (1U << k)))
			continue;
		if ((s->set & (1U << k)) && s->own[k] != ctx->sval[k]) {
			ctx->lineno = ctx->sline[k];
			config_error(ctx, "%s differs from the one set at %s:%u "
			    "for the same ports", names[k], s->file[k],
			    s->line[k]);
			continue;
		}
		if (!(s->set & (1U << k))) {
			s->file[k] = ctx->path;
			s->line[k] = ctx->sline[k];
		}
		s->set |= 1U << k;
		s->own[k] = ctx->sval[k];
	}
	m = first == NULL ? TAILQ_FIRST(&conf->mappings) :
	    TAILQ_NEXT(first, entry);
	for (; m != NULL; m = TAILQ_NEXT(m, entry))
		m->surface = i;
	config_resolve(conf);
}

/* A file's own [surface] keys, made when the first is read. */
static struct config_surface *
config_surface_get(struct config_ctx *ctx)
{
	struct config_surface	*cs;

	TAILQ_FOREACH(cs, &ctx->conf->fsurfaces, entry) {
		if (cs->file == ctx->path)
			return (cs);
	}
	cs = xcalloc(1, sizeof(*cs));
	cs->file = ctx->path;
	cs->display_hold = CONFIG_DISPLAY_HOLD;
	cs->meter_rate = CONFIG_METER_RATE;
	TAILQ_INSERT_TAIL(&ctx->conf->fsurfaces, cs, entry);
	return (cs);
}

/* What a file's [surface] says of its surface, or NULL if nothing. */
const struct config_surface *
config_surface_of(const struct config *conf, const char *file)
{
	const struct config_surface	*cs;

	TAILQ_FOREACH(cs, &conf->fsurfaces, entry) {
		if (strcmp(cs->file, file) == 0)
			return (cs);
	}
	return (NULL);
}

/*
 * Parse a SysEx written as hex bytes, "F0 00 20 29 02 11 77 00 F7":
 * F0 first, F7 last, data bytes between.  Returns its length, or 0
 * (reported).
 */
static size_t
config_parse_sysex(struct config_ctx *ctx, char **w, size_t n, uint8_t *buf)
{
	char		*end;
	unsigned long	 b;
	size_t		 i;

	if (n > CONFIG_SYSEX_MAX) {
		config_error(ctx, "connect: a SysEx is at most %d bytes",
		    CONFIG_SYSEX_MAX);
		return (0);
	}
	for (i = 0; i < n; i++) {
		b = strtoul(w[i], &end, 16);
		if (strlen(w[i]) > 2 || *end != '\0' || !isxdigit(
		    (unsigned char)*w[i])) {
			config_error(ctx, "connect: not a hex byte: %s", w[i]);
			return (0);
		}
		if ((i == 0 || i == n - 1) != (b >= 0x80) ||
		    (i == n - 1 && b != 0xf7)) {
			config_error(ctx, "connect: a SysEx is F0, data bytes "
			    "00-7F, then F7: %s", w[i]);
			return (0);
		}
		buf[i] = b;
	}
	if (n < 2) {
		config_error(ctx, "connect: a SysEx ends with F7");
		return (0);
	}
	return (n);
}

/*
 * Parse one channel message in the mapping syntax with its value:
 * "cc 127 channel 1 = 0", "program 3", "note 8 = 127".  Returns its
 * length, or 0 (reported).
 */
static size_t
config_parse_message(struct config_ctx *ctx, const char *value, uint8_t *buf)
{
	static const uint8_t	 status[KIND_MAX] = {
		[KIND_CC] = 0xb0, [KIND_NOTE] = 0x90,
		[KIND_POLY_AT] = 0xa0, [KIND_PROGRAM] = 0xc0,
		[KIND_AFTERTOUCH] = 0xd0, [KIND_PITCHBEND] = 0xe0,
	};
	struct mapping		 m;
	char			*copy, *eq;
	unsigned int		 nerr = ctx->nerr;
	long long		 v = 0;
	size_t			 len = 0;

	copy = xstrdup(value);
	if ((eq = strchr(copy, '=')) != NULL)
		*eq++ = '\0';
	memset(&m, 0, sizeof(m));
	m.kind = KIND_MAX;
	config_parse_midi(ctx, &m, copy);
	if (ctx->nerr != nerr)
		goto out;
	if (status[m.kind] == 0 || m.channel == -1) {
		config_error(ctx, "connect takes a SysEx or one cc, note, "
		    "poly-aftertouch, program, aftertouch or pitchbend on "
		    "one channel: %s", value);
		goto out;
	}
	if ((eq == NULL) != (m.kind == KIND_PROGRAM)) {
		config_error(ctx, "connect: %s", m.kind == KIND_PROGRAM ?
		    "a program change has no '= value'" :
		    "the message wants '= value'");
		goto out;
	}
	if (eq != NULL && config_number(ctx, "connect value", eq +
	    strspn(eq, " \t"), 0, config_kinds[m.kind].value_max, &v) != 0)
		goto out;
	buf[len++] = status[m.kind] | m.channel;
	switch (m.kind) {
	case KIND_PROGRAM:
		buf[len++] = m.number;
		break;
	case KIND_AFTERTOUCH:
		buf[len++] = v;
		break;
	case KIND_PITCHBEND:
		buf[len++] = v & 0x7f;
		buf[len++] = v >> 7;
		break;
	default:
		buf[len++] = m.number;
		buf[len++] = v;
		break;
	}
out:
	free(copy);
	return (len);
}

/* Parse "connect = SYSEX | MESSAGE" of a file's [surface]. */
static void
config_key_connect(struct config_ctx *ctx, const char *value)
{
	struct config_surface	*cs = config_surface_get(ctx);
	struct config_msg	*cm;
	uint8_t			 buf[CONFIG_SYSEX_MAX];
	char			*copy, *w[CONFIG_SYSEX_MAX];
	size_t			 n, len;

	if (cs->nconnect == CONFIG_CONNECT_MAX) {
		config_error(ctx, "connect: at most %d messages a file",
		    CONFIG_CONNECT_MAX);
		return;
	}
	copy = xstrdup(value);
	n = config_words(copy, w, nitems(w));
	if (strncasecmp(value, "f0", 2) == 0)
		len = config_parse_sysex(ctx, w, n, buf);
	else
		len = config_parse_message(ctx, value, buf);
	free(copy);
	if (len == 0)
		return;
	cs->connect = xreallocarray(cs->connect, cs->nconnect + 1,
	    sizeof(*cs->connect));
	cm = &cs->connect[cs->nconnect++];
	cm->bytes = xmalloc(len);
	memcpy(cm->bytes, buf, len);
	cm->len = len;
	cm->line = ctx->lineno;
}

/* Handle a key of [surface]. */
static void
config_key_surface(struct config_ctx *ctx, const char *name,
    const char *value)
{
	struct port	*p;
	long long	 v;
	int		 i;

	if (*value == '\0') {
		config_error(ctx, "%s is empty", name);
		return;
	}
	if (strcmp(name, "port") == 0 ||
	    strcmp(name, "software-port") == 0) {
		p = xcalloc(1, sizeof(*p));
		p->file = ctx->path;
		p->line = ctx->lineno;
		p->pattern = xstrdup(value);
		p->software = name[0] == 's';
		TAILQ_INSERT_TAIL(&ctx->conf->ports, p, entry);
	} else if (strcmp(name, "connect") == 0)
		config_key_connect(ctx, value);
	else if (strcmp(name, "display") == 0) {
		if ((i = config_choice(ctx, name, config_displays, 0,
		    value)) != -1) {
			config_surface_get(ctx)->display = i;
			config_surface_get(ctx)->display_line = ctx->lineno;
		}
	} else if (strcmp(name, "meter-rate") == 0) {
		if (config_number(ctx, name, value, 1, 50, &v) == 0)
			config_surface_get(ctx)->meter_rate = v;
	} else if (strcmp(name, "display-hold") == 0) {
		if (config_number(ctx, name, value, 100, 10000, &v) == 0)
			config_surface_get(ctx)->display_hold = v;
	} else if (strcmp(name, "feedback-interval") == 0) {
		if (config_number(ctx, name, value, 0, 1000, &v) == 0)
			config_set_surface(ctx, SURFACE_FEEDBACK_INTERVAL,
			    name, v);
	} else if (strcmp(name, "takeover") == 0) {
		if ((i = config_choice(ctx, name, config_takeovers, 1,
		    value)) != -1)
			config_set_surface(ctx, SURFACE_TAKEOVER, name, i);
	} else if (strcmp(name, "pickup-threshold") == 0) {
		if (config_number(ctx, name, value, 1, 127, &v) == 0)
			config_set_surface(ctx, SURFACE_PICKUP_THRESHOLD,
			    name, v);
	} else if (strcmp(name, "layer") == 0)
		config_set_surface(ctx, SURFACE_LAYER, name,
		    config_intern(&ctx->conf->layers, &ctx->conf->nlayers,
		    value));
	else
		config_error(ctx, "unknown key in [surface]: %s", name);
}

/* Parse "label = TEXT": printable ASCII, as a scribble strip shows it. */
static void
config_parse_label(struct config_ctx *ctx, struct mapping *m,
    const char *value)
{
	const char	*p;

	if (strlen(value) > CONFIG_LABEL_MAX) {
		config_error(ctx, "label is longer than %d characters: %s",
		    CONFIG_LABEL_MAX, value);
		return;
	}
	for (p = value; *p != '\0'; p++) {
		if (*p < 0x20 || *p > 0x7e) {
			config_error(ctx, "label is not printable ASCII: %s",
			    value);
			return;
		}
	}
	m->label = xstrdup(value);
}

/* Start a mapping for the current section. */
static struct mapping *
config_new_mapping(struct config_ctx *ctx)
{
	struct mapping	*m;

	m = xcalloc(1, sizeof(*m));
	m->file = ctx->path;
	m->name = xstrdup(ctx->section);
	m->line = ctx->section_line;
	m->kind = KIND_MAX;
	m->channel = 0;
	m->midi_max = -1;
	m->elem_channel = -1;
	m->layer = -1;
	m->on = 127;
	m->touch = -1;
	m->feedback = 1;
	m->card = -1;
	m->fb_kind = KIND_MAX;
	m->fb_channel = -1;
	m->strip = -1;
	m->mackie_meter = -1;
	TAILQ_INSERT_TAIL(&ctx->conf->mappings, m, entry);
	ctx->conf->nmappings++;
	return (m);
}

/* Handle a key of a mapping section. */
static void
config_key_mapping(struct config_ctx *ctx, const char *name,
    const char *value)
{
	struct mapping	*m;
	unsigned int	 i;
	long long	 v;
	int		 c;

	for (i = 0; i < KEY_COUNT; i++) {
		if (strcmp(name, config_keys[i]) == 0)
			break;
	}
	if (i == KEY_COUNT) {
		config_error(ctx, "unknown key: %s", name);
		return;
	}
	if ((ctx->seen & (1U << i)) && i != KEY_CONTROL) {
		config_error(ctx, "%s is set twice", name);
		return;
	}
	ctx->seen |= 1U << i;
	if (ctx->key_line[i] == 0)
		ctx->key_line[i] = ctx->lineno;
	if (*value == '\0') {
		config_error(ctx, "%s is empty", name);
		return;
	}
	if ((m = ctx->m) == NULL)
		m = ctx->m = config_new_mapping(ctx);

	switch ((enum config_key)i) {
	case KEY_MIDI:
		config_parse_midi(ctx, m, value);
		break;
	case KEY_CONTROL:
		config_parse_control(ctx, m, value);
		break;
	case KEY_CONTROL_CHANNEL:
		if (config_number(ctx, name, value, 1, 1024, &v) == 0)
			m->elem_channel = v - 1;
		break;
	case KEY_MODE:
		if ((c = config_choice(ctx, name, config_modes, 1,
		    value)) != -1)
			m->mode = c;
		break;
	case KEY_VALUE:
		config_parse_value(ctx, name, value, 1, &m->value);
		break;
	case KEY_ENCODER:
		if ((c = config_choice(ctx, name, config_encoders, 1,
		    value)) != -1)
			m->encoder = c;
		break;
	case KEY_STEP:
		config_parse_value(ctx, name, value, 0, &m->step);
		break;
	case KEY_MIN:
		config_parse_value(ctx, name, value, 0, &m->min);
		break;
	case KEY_MAX:
		config_parse_value(ctx, name, value, 0, &m->max);
		break;
	case KEY_INVERT:
		if ((c = config_bool(ctx, name, value)) != -1)
			m->invert = c;
		break;
	case KEY_CURVE:
		if ((c = config_choice(ctx, name, config_curves, 0,
		    value)) != -1)
			m->curve = c;
		break;
	case KEY_MIDI_MIN:
		if (config_number(ctx, name, value, 0, 16383, &v) == 0)
			m->midi_min = v;
		break;
	case KEY_MIDI_MAX:
		if (config_number(ctx, name, value, 1, 16383, &v) == 0)
			m->midi_max = v;
		break;
	case KEY_TAKEOVER:
		if ((c = config_choice(ctx, name, config_takeovers, 1,
		    value)) != -1)
			m->takeover = c;
		break;
	case KEY_LAYER:
		m->layer = config_intern(&ctx->conf->layers,
		    &ctx->conf->nlayers, value);
		break;
	case KEY_ACTION:
		config_parse_action(ctx, m, value);
		break;
	case KEY_ON:
		if (config_number(ctx, name, value, 0, 127, &v) == 0)
			m->on = v;
		break;
	case KEY_OFF:
		if (config_number(ctx, name, value, 0, 127, &v) == 0)
			m->off = v;
		break;
	case KEY_TOUCH:
		config_parse_touch(ctx, m, value);
		break;
	case KEY_FEEDBACK:
		if ((c = config_bool(ctx, name, value)) != -1)
			m->feedback = c;
		break;
	case KEY_CARD:
		m->card = config_intern(&ctx->conf->cards, &ctx->conf->ncards,
		    value);
		m->card_line = ctx->lineno;
		break;
	case KEY_SNAPSHOT_ALL:
		if ((c = config_bool(ctx, name, value)) != -1)
			m->snapshot_all = c;
		break;
	case KEY_FEEDBACK_MIDI:
		config_parse_feedback_midi(ctx, m, value);
		break;
	case KEY_RING:
		if ((c = config_choice(ctx, name, config_rings, 0,
		    value)) != -1)
			m->ring = c;
		break;
	case KEY_MACKIE_METER:
		if (config_number(ctx, name, value, 1, CONFIG_STRIPS,
		    &v) == 0)
			m->mackie_meter = v - 1;
		break;
	case KEY_STRIP:
		if (config_number(ctx, name, value, 1, CONFIG_STRIPS,
		    &v) == 0) {
			m->strip = v - 1;
			m->strip_line = ctx->lineno;
		}
		break;
	case KEY_LABEL:
		config_parse_label(ctx, m, value);
		break;
	case KEY_COUNT:
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
	if (name == NULL)
		return (1);
	ctx->prev_key = 1;
	if (ctx->section_bad)
		return (1);
	ctx->section_keys = 1;
	if (ctx->continued && !(strcmp(name, "control") == 0 &&
	    ctx->m != NULL) && !(strcmp(name, "port") == 0 &&
	    ctx->section != NULL && strcmp(ctx->section, "surface") == 0))
		config_error(ctx, "%s takes one value (a line that begins "
		    "with white space continues the key before it): %s",
		    name, value);
	else if (ctx->section == NULL)
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
 * Whether the text of an indented line reads as a key of the current
 * section (or as a section header): inih would take it as one more
 * value of the key before it, which is never what an indented key
 * means, so it is read as a key.  Control ids of the form name='...'
 * are not keys.
 */
static int
config_key_like(const struct config_ctx *ctx, const char *p)
{
	static const char	*surface[] = { "port", "feedback-interval",
				    "takeover", "pickup-threshold", "layer",
				    "connect", "display", "display-hold",
				    "meter-rate",
				    NULL };
	static const char	*card[] = { "name", "snapshots", NULL };
	char			 word[32];
	size_t			 len, i;

	if (*p == '[')
		return (1);
	len = strcspn(p, " \t=:");
	if (len == 0 || len >= sizeof(word) ||
	    p[len + strspn(p + len, " \t")] == '\0' ||
	    strchr("=:", p[len + strspn(p + len, " \t")]) == NULL)
		return (0);
	memcpy(word, p, len);
	word[len] = '\0';
	if (ctx->section != NULL && strcmp(ctx->section, "surface") == 0)
		return (config_keyword(surface, word) != -1);
	if (ctx->section != NULL && strcmp(ctx->section, "card") == 0)
		return (config_keyword(card, word) != -1);
	for (i = 0; i < KEY_COUNT; i++)
		if (strcmp(word, config_keys[i]) == 0)
			return (1);
	return (0);
}

/*
 * Look at a line before inih does: track sections, and report lines
 * inih would refuse, so that every bad line gets its own message.  The
 * line is blanked when it is bad or a section header.  A byte order
 * mark starting the file is dropped.  A line that begins with white
 * space after a key continues that key, as inih reads it, unless it
 * reads as a key or a section header; otherwise leading white space is
 * dropped.
 */
static void
config_scan(struct config_ctx *ctx, char *buf)
{
	char	*p, *end;

	ctx->continued = 0;
	/* The mark is 3 bytes, so the line is at least as long. */
	if (ctx->lineno == 1 && strncmp(buf, "\xef\xbb\xbf", 3) == 0)
		memmove(buf, buf + 3, strlen(buf) - 2);
	for (p = buf; isspace((unsigned char)*p); p++)
		continue;
	if (*p == '\0' || *p == ';' || *p == '#')
		return;
	if (p > buf && ctx->prev_key && !config_key_like(ctx, p)) {
		/* libinih keeps a comment here: drop it. */
		for (end = p; (end = strchr(end, ';')) != NULL; end++)
			if (isspace((unsigned char)end[-1])) {
				strcpy(end, "\n");
				break;
			}
		ctx->continued = 1;
		return;
	}
	memmove(buf, p, strlen(p) + 1);
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

/* Parse an open stream; the path is used in messages. */
/*
 * The file read: a mapping with a strip needs the file's surface to have
 * a display.
 */
static void
config_check_strips(struct config_ctx *ctx, struct mapping *first)
{
	const struct config_surface	*cs;
	struct mapping			*m;

	cs = config_surface_of(ctx->conf, ctx->path);
	if (cs != NULL && cs->display != DISPLAY_NONE)
		return;
	m = first == NULL ? TAILQ_FIRST(&ctx->conf->mappings) :
	    TAILQ_NEXT(first, entry);
	for (; m != NULL; m = TAILQ_NEXT(m, entry)) {
		if (m->strip == -1)
			continue;
		ctx->lineno = m->strip_line;
		config_error(ctx, "strip: [surface] of this file has no "
		    "display");
	}
}

static int
config_load_stream(struct config *conf, const char *path, FILE *fp)
{
	struct config_ctx	 ctx;
	struct mapping		*first, *m;
	unsigned int		 i;
	int			 rv;

	memset(&ctx, 0, sizeof(ctx));
	ctx.conf = conf;
	ctx.fp = fp;
	ctx.file_card = -1;
	first = TAILQ_LAST(&conf->mappings, mappings);
	conf->files = xreallocarray(conf->files, conf->nfiles + 1,
	    sizeof(*conf->files));
	conf->files[conf->nfiles] = xstrdup(path);
	ctx.path = conf->files[conf->nfiles++];

	rv = ini_parse_stream(config_reader, &ctx, config_handler, &ctx);
	config_end_section(&ctx);
	config_end_file(&ctx, first);
	/* The file's [card], wherever it stands, is its mappings' card. */
	m = first == NULL ? TAILQ_FIRST(&conf->mappings) :
	    TAILQ_NEXT(first, entry);
	for (; m != NULL && ctx.file_card != -1; m = TAILQ_NEXT(m, entry))
		if (m->card == -1)
			m->card = ctx.file_card;
	config_check_strips(&ctx, first);
	if (rv > 0) {
		ctx.lineno = rv;
		config_error(&ctx, "syntax error");
	} else if (rv < 0) {
		ctx.lineno = 0;
		config_error(&ctx, "cannot parse");
	}

	for (i = 0; i < ctx.nslots; i++)
		free(ctx.sections[i].name);
	free(ctx.sections);
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

/* Whether a file name is a mapping file's: visible, ending in ".ini". */
int
config_is_ini_name(const char *name)
{
	size_t	 len = strlen(name);

	return (name[0] != '.' && len > 4 &&
	    strcmp(name + len - 4, ".ini") == 0);
}

/* scandir() filter: mapping files. */
static int
config_is_ini(const struct dirent *d)
{
	return (config_is_ini_name(d->d_name));
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

/*
 * Print a control id as the control key and snapshots read it: its
 * name, or amixer's iface=...,name='...',index=N,device=N,subdevice=N
 * with the fields that are not 0 (or -1, any).
 */
static void
config_print_id(FILE *fp, int iface, const char *name, unsigned int index,
    int device, int subdevice)
{
	int	 q;

	if (iface == -1 && index == 0 && device == -1 && subdevice == -1) {
		fputs(name, fp);
		return;
	}
	if (iface != -1)
		fprintf(fp, "iface=%s,", snd_ctl_elem_iface_name(iface));
	/* alsa-lib's parser has no escapes: pick the quote not in the name. */
	q = strchr(name, '\'') == NULL ? '\'' : '"';
	fprintf(fp, "name=%c%s%c", q, name, q);
	if (index != 0)
		fprintf(fp, ",index=%u", index);
	if (device != -1)
		fprintf(fp, ",device=%d", device);
	if (subdevice != -1)
		fprintf(fp, ",subdevice=%d", subdevice);
}

/* An element's name and index, as snapshots keep them. */
void
config_print_elem_id(FILE *fp, const char *name, unsigned int index)
{
	config_print_id(fp, -1, name, index, -1, -1);
}

/* Print a control key the way it can be read back. */
static void
config_print_control(const struct control *c, FILE *fp)
{
	fputs("control = ", fp);
	config_print_id(fp, c->iface, c->name, c->index, c->device,
	    c->subdevice);
	fputc('\n', fp);
}

/* Print a value key if it is set. */
static void
config_print_value(const char *key, const struct config_value *cv,
    FILE *fp)
{
	long	 a;

	switch (cv->type) {
	case VAL_NONE:
		break;
	case VAL_NUMBER:
		fprintf(fp, "%s = %ld\n", key, cv->number);
		break;
	case VAL_NAME:
		fprintf(fp, "%s = %s\n", key, cv->name);
		break;
	case VAL_DB:
		a = cv->number < 0 ? -cv->number : cv->number;
		fprintf(fp, "%s = %s%ld", key, cv->number < 0 ? "-" : "",
		    a / 100);
		if (a % 100 != 0)
			fprintf(fp, a % 10 != 0 ? ".%02ld" : ".%ld",
			    a % 10 != 0 ? a % 100 : a % 100 / 10);
		fputs("dB\n", fp);
		break;
	}
}

/* Print the feedback keys of a mapping that are not defaults. */
static void
config_print_feedback(const struct mapping *m, FILE *fp)
{
	if (m->fb_kind != KIND_MAX) {
		fprintf(fp, "feedback-midi = %s",
		    config_kinds[m->fb_kind].name);
		if (config_kinds[m->fb_kind].numbered)
			fprintf(fp, " %d", m->fb_number);
		if (m->fb_channel != -1)
			fprintf(fp, " channel %d", m->fb_channel + 1);
		fputc('\n', fp);
	}
	if (m->ring != RING_NONE)
		fprintf(fp, "ring = %s\n", config_rings[m->ring]);
	if (m->mackie_meter != -1)
		fprintf(fp, "mackie-meter = %d\n", m->mackie_meter + 1);
}

/* Print one mapping in normal form: the keys that are not defaults. */
static void
config_print_mapping(const struct config *conf, const struct mapping *m,
    FILE *fp)
{
	unsigned int	 i;

	fprintf(fp, "[%s]\nmidi = %s", m->name, config_kinds[m->kind].name);
	if (config_kinds[m->kind].numbered)
		fprintf(fp, " %d", m->number);
	if (m->channel == -1)
		fputs(" channel any\n", fp);
	else
		fprintf(fp, " channel %d\n", m->channel + 1);
	if (m->midi_min != 0)
		fprintf(fp, "midi-min = %ld\n", m->midi_min);
	if (m->midi_max != config_kinds[m->kind].value_max)
		fprintf(fp, "midi-max = %ld\n", m->midi_max);
	for (i = 0; i < m->ncontrols; i++)
		config_print_control(&m->controls[i], fp);
	if (m->elem_channel != -1)
		fprintf(fp, "control-channel = %d\n", m->elem_channel + 1);
	if (m->card != -1 && (conf->card == NULL ||
	    strcmp(conf->cards[m->card], conf->card) != 0))
		fprintf(fp, "card = %s\n", conf->cards[m->card]);
	if (m->action != ACTION_NONE)
		fprintf(fp, "action = %s %s\n", config_actions[m->action],
		    m->action == ACTION_LAYER ? conf->layers[m->action_layer] :
		    m->action_arg);
	if (m->action == ACTION_NONE ? m->mode != (m->kind == KIND_NOTE ?
	    MODE_MOMENTARY : m->kind == KIND_PROGRAM ? MODE_SET :
	    MODE_ABSOLUTE) : m->mode != MODE_SET)
		fprintf(fp, "mode = %s\n", config_modes[m->mode]);
	config_print_value("value", &m->value, fp);
	if (m->encoder != ENC_NONE)
		fprintf(fp, "encoder = %s\n", config_encoders[m->encoder]);
	config_print_value("step", &m->step, fp);
	config_print_value("min", &m->min, fp);
	config_print_value("max", &m->max, fp);
	if (m->invert)
		fputs("invert = yes\n", fp);
	if (m->curve != CURVE_LINEAR)
		fprintf(fp, "curve = %s\n", config_curves[m->curve]);
	if (m->takeover != TAKEOVER_DEFAULT)
		fprintf(fp, "takeover = %s\n", config_takeovers[m->takeover]);
	if (m->layer != -1)
		fprintf(fp, "layer = %s\n", conf->layers[m->layer]);
	if (m->on != 127)
		fprintf(fp, "on = %d\n", m->on);
	if (m->off != 0)
		fprintf(fp, "off = %d\n", m->off);
	if (m->touch != -1)
		fprintf(fp, "touch = note %d channel %d\n", m->touch,
		    m->touch_channel + 1);
	if (!m->feedback)
		fputs("feedback = no\n", fp);
	config_print_feedback(m, fp);
	if (m->strip != -1)
		fprintf(fp, "strip = %d\n", m->strip + 1);
	if (m->label != NULL)
		fprintf(fp, "label = %s\n", m->label);
	if (m->snapshot_all)
		fputs("snapshot-all = yes\n", fp);
}

/* Print a connect message as it is written: hex bytes or a message. */
void
config_print_msg(const struct config_msg *cm, FILE *fp)
{
	const uint8_t	*b = cm->bytes;
	unsigned int	 ch = (b[0] & 0x0f) + 1;
	size_t		 i;

	switch (b[0] & 0xf0) {
	case 0xf0:
		for (i = 0; i < cm->len; i++)
			fprintf(fp, "%s%02X", i == 0 ? "" : " ", b[i]);
		break;
	case 0xb0:
	case 0x90:
	case 0xa0:
		fprintf(fp, "%s %d channel %u = %d", (b[0] & 0xf0) == 0xb0 ?
		    "cc" : (b[0] & 0xf0) == 0x90 ? "note" : "poly-aftertouch",
		    b[1], ch, b[2]);
		break;
	case 0xc0:
		fprintf(fp, "program %d channel %u", b[1], ch);
		break;
	case 0xd0:
		fprintf(fp, "aftertouch channel %u = %d", ch, b[1]);
		break;
	default:
		fprintf(fp, "pitchbend channel %u = %d", ch, b[2] << 7 | b[1]);
		break;
	}
}

/*
 * Print the keys of a surface's files that are each file's own: the
 * connect messages, in the order of the files, and the display.  Returns
 * how many lines there are (fp may be NULL to count them).
 */
static unsigned int
config_print_own(const struct config *conf, const struct surface *sf,
    FILE *fp)
{
	const struct config_surface	*cs;
	char				*ports;
	unsigned int			 i, n = 0;

	TAILQ_FOREACH(cs, &conf->fsurfaces, entry) {
		ports = config_file_ports(conf, cs->file);
		if (strcmp(ports, sf->ports) == 0) {
			for (i = 0; i < cs->nconnect; i++, n++) {
				if (fp == NULL)
					continue;
				fputs("connect = ", fp);
				config_print_msg(&cs->connect[i], fp);
				fputc('\n', fp);
			}
			if (cs->display != DISPLAY_NONE) {
				n++;
				if (fp != NULL)
					fprintf(fp, "display = %s\n",
					    config_displays[cs->display]);
			}
			if (cs->display_hold != CONFIG_DISPLAY_HOLD) {
				n++;
				if (fp != NULL)
					fprintf(fp, "display-hold = %d\n",
					    cs->display_hold);
			}
			if (cs->meter_rate != CONFIG_METER_RATE) {
				n++;
				if (fp != NULL)
					fprintf(fp, "meter-rate = %d\n",
					    cs->meter_rate);
			}
		}
		free(ports);
	}
	return (n);
}

/* Print the configuration in normal form: what -n -v shows. */
void
config_print(const struct config *conf, FILE *fp)
{
	const struct surface	*sf;
	const struct mapping	*m;
	const char		*sep = "";
	unsigned int		 i, k, set;

	if (conf->card != NULL || conf->snapshots != NULL) {
		fputs("[card]\n", fp);
		if (conf->card != NULL)
			fprintf(fp, "name = %s\n", conf->card);
		if (conf->snapshots != NULL)
			fprintf(fp, "snapshots = %s\n", conf->snapshots);
		sep = "\n";
	}
	/*
	 * A [surface] for each surface, with its ports, sorted, and the
	 * settings its files gave that it would not have without them; with
	 * none of either, none is printed.
	 */
	for (i = 0; i < conf->nsurfaces; i++) {
		sf = &conf->surfaces[i];
		for (set = 0, k = 0; k < SURFACE_KEYS; k++) {
			if ((sf->set & (1U << k)) &&
			    sf->own[k] != config_inherited(conf, i, k))
				set |= 1U << k;
		}
		if (*sf->ports == '\0' && set == 0 &&
		    config_print_own(conf, sf, NULL) == 0)
			continue;
		fprintf(fp, "%s[surface]\n%s", sep, sf->ports);
		config_print_own(conf, sf, fp);
		if (set & (1U << SURFACE_FEEDBACK_INTERVAL))
			fprintf(fp, "feedback-interval = %d\n",
			    sf->own[SURFACE_FEEDBACK_INTERVAL]);
		if (set & (1U << SURFACE_TAKEOVER))
			fprintf(fp, "takeover = %s\n",
			    config_takeovers[sf->own[SURFACE_TAKEOVER]]);
		if (set & (1U << SURFACE_PICKUP_THRESHOLD))
			fprintf(fp, "pickup-threshold = %d\n",
			    sf->own[SURFACE_PICKUP_THRESHOLD]);
		if (set & (1U << SURFACE_LAYER))
			fprintf(fp, "layer = %s\n",
			    conf->layers[sf->own[SURFACE_LAYER]]);
		sep = "\n";
	}
	TAILQ_FOREACH(m, &conf->mappings, entry) {
		fputs(sep, fp);
		config_print_mapping(conf, m, fp);
		sep = "\n";
	}
}
