/* Find the program's own files: in its build tree, or where installed. */

#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"

#define PATHS_PLUGIN	"libasound_module_ctl_scarlett_sim.so"

static int	paths_done;
static char	paths_plugin_buf[PATH_MAX] = PLUGINDIR "/" PATHS_PLUGIN;
static char	paths_devices_buf[PATH_MAX] = STATEDIR;

/*
 * A build tree holds the plugin in the directory of the executable; an
 * installed program never does (it is in bindir, the plugin in
 * pkglibdir).  The device files are in the source tree, which configure
 * named relative to the build tree, or absolute.
 */
static void
paths_init(void)
{
	char		 dir[PATH_MAX], buf[PATH_MAX], *slash;
	struct stat	 st;
	ssize_t		 n;
	int		 len;

	if (paths_done)
		return;
	paths_done = 1;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0)
		return;
	dir[n] = '\0';
	if ((slash = strrchr(dir, '/')) == NULL)
		return;
	*slash = '\0';
	len = snprintf(buf, sizeof(buf), "%s/%s", dir, PATHS_PLUGIN);
	if (len < 0 || (size_t)len >= sizeof(buf) || access(buf, R_OK) != 0)
		return;
	memcpy(paths_plugin_buf, buf, len + 1);

	if (TOP_SRCDIR[0] == '/')
		len = snprintf(buf, sizeof(buf), "%s/devices", TOP_SRCDIR);
	else
		len = snprintf(buf, sizeof(buf), "%s/%s/devices", dir,
		    TOP_SRCDIR);
	if (len < 0 || (size_t)len >= sizeof(buf) || stat(buf, &st) != 0 ||
	    !S_ISDIR(st.st_mode))
		return;
	memcpy(paths_devices_buf, buf, len + 1);
}

const char *
paths_plugin(void)
{
	const char	*env;

	if ((env = getenv("SCARLETT_MIDI_PLUGIN")) != NULL && *env != '\0')
		return (env);
	paths_init();
	return (paths_plugin_buf);
}

const char *
paths_devices(void)
{
	paths_init();
	return (paths_devices_buf);
}
