/*
 * The emulated Scarlett of the VM tier: what its three parts (the USB/IP
 * transport, the device model, the main loop with its control channel)
 * share.
 */

#ifndef EMU_H
#define EMU_H

#include <stddef.h>
#include <stdint.h>

#define EMU_CONFIG_SIZE	4096	/* config memory, GET_DATA/SET_DATA */
#define EMU_MIX_MAX	25	/* mixer inputs per mix */
#define EMU_MIXES_MAX	25	/* mixes */
#define EMU_MUX_MAX	77	/* entries per mux table */
#define EMU_MUX_TABLES	3
#define EMU_CLOCKS_MAX	4	/* clock sources */

/* One model: what it tells the host in its descriptors and at init. */
struct emu_model {
	const char	*name;		/* for -m */
	uint16_t	 pid;		/* USB product id (vendor 0x1235) */
	const char	*product;	/* iProduct */
	int		 nclocks;	/* clock sources, in selector order */
	const char	*clocks[EMU_CLOCKS_MAX];
	uint32_t	 firmware;	/* INIT_2's version at data + 8 */
	int		 pcm_out;	/* playback channels, 0 for none */
	int		 pcm_in;	/* capture channels, 0 for none */
};

/* The device's state and the faults asked for. */
struct emu_dev {
	const struct emu_model *model;
	int		 iface;		/* the vendor interface's number */
	uint8_t		 config[EMU_CONFIG_SIZE];
	uint16_t	 mix[EMU_MIXES_MAX][EMU_MIX_MAX];
	uint32_t	 mux[EMU_MUX_TABLES][EMU_MUX_MAX];
	uint32_t	 sync;		/* GET_SYNC */
	uint32_t	 firmware;
	uint8_t		 clock;		/* selector pin, 1-based */
	uint8_t		 valid[EMU_CLOCKS_MAX];

	/* The last CMD_REQ, answered by the next CMD_RESP. */
	uint32_t	 resp_cmd;
	uint16_t	 resp_seq;
	uint8_t		 resp[1024];
	size_t		 resp_len;

	unsigned int	 delay_ms;	/* before each vendor reply */
	unsigned int	 stall;		/* CMD_REQs still to stall */
	unsigned int	 errors;	/* CMD_RESPs still to fail */
	int		 ack;		/* ACK (mask 0x1) after a CMD_REQ */
};

/* How a control transfer is answered. */
struct emu_reply {
	int		 status;	/* 0 or a negative errno */
	uint8_t		 data[4096];	/* IN data */
	size_t		 len;		/* IN: bytes; OUT: actual length */
	unsigned int	 delay_ms;	/* hold the reply this long */
	uint32_t	 notify;	/* send this mask after the reply */
};

/* emu-log.c: the log every step writes to, flushed at once. */
void	emu_log_open(const char *);
void	emu_log(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	emu_fatal(const char *, ...)
	    __attribute__((__noreturn__, __format__(__printf__, 1, 2)));

/* emu-model.c: the model table and the descriptors. */
const struct emu_model *emu_model_find(const char *);
void	emu_model_list(void);
size_t	emu_model_descriptor(const struct emu_model *, int, int,
	    uint8_t *, size_t);
int	emu_model_vendor_iface(const struct emu_model *);

/* emu-scarlett.c: the device. */
void	emu_dev_init(struct emu_dev *, const struct emu_model *);
void	emu_dev_control(struct emu_dev *, const uint8_t *,
	    const uint8_t *, size_t, struct emu_reply *);
int	emu_dev_command(struct emu_dev *, int, char **);

/* emu-usbip.c: the USB/IP side of vhci-hcd. */
struct emu_usbip;
struct emu_usbip *emu_usbip_attach(int, int);
void	emu_usbip_detach(struct emu_usbip *);
int	emu_usbip_fd(struct emu_usbip *);
int	emu_usbip_read(struct emu_usbip *, struct emu_dev *);
int	emu_usbip_timeout(struct emu_usbip *);
int	emu_usbip_flush(struct emu_usbip *);
void	emu_usbip_notify(struct emu_usbip *, uint32_t);

#endif
