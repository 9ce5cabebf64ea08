/*
 * The mapping files: parsed into a struct config, validated, never bound.
 * Nothing here touches a device.
 */

#ifndef CONFIG_H
#define CONFIG_H

#include <stdint.h>
#include <stdio.h>
#include <sys/queue.h>

/* What kind of MIDI message triggers a mapping. */
enum midi_kind {
	KIND_CC,		/* 7-bit control change */
	KIND_CC14,		/* 14-bit: MSB on CC n, LSB on CC n + 32 */
	KIND_NRPN,		/* NRPN with 7-bit data */
	KIND_NRPN14,		/* NRPN with 14-bit data */
	KIND_RPN,
	KIND_RPN14,
	KIND_NOTE,		/* note on / note off */
	KIND_PITCHBEND,
	KIND_AFTERTOUCH,	/* channel pressure */
	KIND_POLY_AT,		/* polyphonic key pressure */
	KIND_PROGRAM,
};
#define KIND_MAX	11

/* What a mapping does with what it receives. */
enum map_mode {
	MODE_DEFAULT,		/* not given: depends on the kind */
	MODE_ABSOLUTE,		/* the value is a position */
	MODE_MOMENTARY,		/* on while pressed */
	MODE_TOGGLE,		/* each press flips */
	MODE_SET,		/* each press sets "value" */
	MODE_UP,		/* each press steps up */
	MODE_DOWN,		/* each press steps down */
};

/* How a relative encoder codes a delta in a 7-bit value. */
enum encoder {
	ENC_NONE,
	ENC_TWOS,		/* 1..63 up, 127..64 down (-1..-64) */
	ENC_SIGNMAG,		/* 1..63 up, 65..127 down */
	ENC_SIGNMAG_INV,	/* 65..127 up, 1..63 down */
	ENC_OFFSET,		/* 65..127 up, 63..0 down: 64 is rest */
};

enum curve {
	CURVE_LINEAR,		/* linear in element units */
	CURVE_DB,		/* linear in dB */
	CURVE_TAPER,		/* a fader's: fine near the top */
};

enum takeover {
	TAKEOVER_DEFAULT,	/* the surface's */
	TAKEOVER_JUMP,
	TAKEOVER_PICKUP,
};

/* A Mackie V-Pot ring's mode, bits 4-5 of its ring byte, plus one. */
enum ring {
	RING_NONE,		/* plain feedback */
	RING_DOT,		/* one LED */
	RING_BOOST_CUT,		/* from the centre */
	RING_WRAP,		/* filled from the left */
	RING_SPREAD,		/* spread from the centre */
};

enum action {
	ACTION_NONE,
	ACTION_LAYER,		/* switch the active layer */
	ACTION_RECALL,		/* recall a snapshot */
	ACTION_SAVE,		/* save a snapshot */
};

/* A value as written in a file: element units, dB, or a name. */
struct config_value {
	enum {
		VAL_NONE,
		VAL_NUMBER,	/* element units */
		VAL_DB,		/* 0.01 dB */
		VAL_NAME,	/* an enum item, or on/off */
	}			 type;
	long			 number;
	char			*name;
	unsigned int		 line;
};

/* One "control =" line. */
struct control {
	char			*name;		/* element name or pattern */
	unsigned int		 index;		/* element index */
	int			 iface;		/* as ALSA's, or -1: any */
	int			 device;	/* or -1: any */
	int			 subdevice;	/* or -1: any */
	int			 pattern;	/* name holds wildcards */
	unsigned int		 line;
};

/* One [section] of a mapping file: a MIDI message and what it drives. */
struct mapping {
	TAILQ_ENTRY(mapping)	 entry;
	const char		*file;		/* owned by the config */
	unsigned int		 line;		/* of the section header */
	char			*name;		/* the section name */

	enum midi_kind		 kind;
	int			 channel;	/* 0..15, or -1 for any */
	int			 number;	/* CC, note, parameter, ... */
	unsigned int		 midi_line;
	long			 midi_min;	/* range of the MIDI value */
	long			 midi_max;

	struct control		*controls;
	unsigned int		 ncontrols;
	int			 elem_channel;	/* 0-based, or -1 for all */

	enum map_mode		 mode;
	enum encoder		 encoder;
	enum curve		 curve;
	enum takeover		 takeover;
	int			 invert;
	struct config_value	 value;		/* for MODE_SET */
	struct config_value	 step;
	struct config_value	 min;
	struct config_value	 max;

	int			 layer;		/* index in conf->layers, -1 */
	enum action		 action;
	char			*action_arg;	/* snapshot name */
	int			 action_layer;	/* ACTION_LAYER's */
	int			 snapshot_all;	/* safety controls too */

	int			 card;		/* in conf->cards, -1: default */
	unsigned int		 card_line;	/* of a "card =" key */

	int			 on;		/* LED values */
	int			 off;
	int			 touch;		/* touch note, or -1 */
	int			 touch_channel;	/* its channel, 0..15 */
	int			 feedback;	/* send feedback */

	int			 surface;	/* in conf->surfaces */

	/* Feedback in another form: another message, its range, a ring. */
	int			 fb_kind;	/* enum midi_kind; KIND_MAX */
	int			 fb_number;
	int			 fb_channel;	/* 0..15, -1: the input's */
	long			 fb_min;	/* its range, resolved */
	long			 fb_max;
	enum ring		 ring;
	int			 mackie_meter;	/* strip 0..7, or -1 */

	/* Scribble strips. */
	int			 strip;		/* 0..7, or -1 */
	unsigned int		 strip_line;
	char			*label;		/* top line, or NULL */
};
TAILQ_HEAD(mappings, mapping);

/* One "port =" or "software-port =" line of [surface]. */
struct port {
	TAILQ_ENTRY(port)	 entry;
	const char		*file;
	unsigned int		 line;
	char			*pattern;
	int			 software;	/* software ports match too */
};
TAILQ_HEAD(ports, port);

/* One "connect =" line: the bytes of a whole SysEx or a channel message. */
struct config_msg {
	uint8_t			*bytes;
	size_t			 len;
	unsigned int		 line;
};
#define CONFIG_SYSEX_MAX	128	/* bytes of a SysEx, F0 and F7 too */
#define CONFIG_CONNECT_MAX	32	/* "connect =" lines of a file */
#define CONFIG_STRIPS		8	/* scribble strips of a surface */
#define CONFIG_LABEL_MAX	7	/* characters of a strip's label */

/* The scribble strip display a surface has. */
enum display {
	DISPLAY_NONE,
	DISPLAY_MACKIE,		/* Mackie Control, X-Touch, X-Touch One */
	DISPLAY_EXTENDER,	/* Mackie Control Extender, X-Touch Extender */
};
#define CONFIG_DISPLAY_HOLD	1000	/* ms a value stays on a strip */
#define CONFIG_METER_RATE	20	/* Hz: meters read so often */

/* What a file's [surface] says of its own surface. */
struct config_surface {
	TAILQ_ENTRY(config_surface) entry;
	const char		*file;		/* owned by the config */
	struct config_msg	*connect;	/* sent when it connects */
	unsigned int		 nconnect;
	enum display		 display;
	unsigned int		 display_line;
	int			 display_hold;	/* ms */
	int			 meter_rate;	/* Hz */
};
TAILQ_HEAD(config_surfaces, config_surface);

/* The defaults of [surface]. */
#define CONFIG_FEEDBACK_INTERVAL	10	/* ms, Ardour's default */
#define CONFIG_PICKUP_THRESHOLD		3	/* of 128, Mixxx's */

/* The settings of [surface], an index each. */
enum surface_key {
	SURFACE_FEEDBACK_INTERVAL,
	SURFACE_TAKEOVER,
	SURFACE_PICKUP_THRESHOLD,
	SURFACE_LAYER,
	SURFACE_KEYS
};

/*
 * A surface: the files that name the same ports, and the settings of
 * their [surface] sections.  The first, surfaces[0], is the files that
 * name no port, which hear every surface: their settings are the
 * defaults of the others'.
 */
struct surface {
	char			*ports;		/* "port = X" lines, sorted */
	int			 own[SURFACE_KEYS];	/* its files' */
	unsigned int		 set;		/* which of own[] are set */
	const char		*file[SURFACE_KEYS];	/* where */
	unsigned int		 line[SURFACE_KEYS];

	/* Its own, else surfaces[0]'s, else the default. */
	int			 feedback_interval;	/* ms */
	enum takeover		 takeover;
	int			 pickup_threshold;	/* of 128 */
	int			 layer;		/* the first active, or -1 */
};

struct config {
	char			*card;		/* the first card named, or NULL */
	const char		*card_file;
	unsigned int		 card_line;
	char			**cards;	/* every card named */
	unsigned int		 ncards;
	char			*snapshots;	/* directory, or NULL */
	const char		*snapshots_file;	/* where it was set */
	unsigned int		 snapshots_line;
	struct ports		 ports;
	struct surface		*surfaces;	/* [0]: files with no port */
	unsigned int		 nsurfaces;
	struct config_surfaces	 fsurfaces;	/* the files' own keys */
	char			**layers;	/* names, in order of use */
	unsigned int		 nlayers;
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
void		 config_print_elem_id(FILE *, const char *, unsigned int);
const struct config_surface *config_surface_of(const struct config *,
		     const char *);
void		 config_print_msg(const struct config_msg *, FILE *);
const char	*config_kind_name(enum midi_kind);
int		 config_kind_numbered(enum midi_kind);
int		 config_is_ini_name(const char *);
long		 config_kind_max(enum midi_kind);

#endif
