/*
 * The netrc file and secret headers (creds.h).  The netrc file is summed,
 * not parsed: libcurl parses it, and its sum in the cache key keeps
 * entries fetched with one file's logins from answering another's.  That
 * is stricter than needed (editing any line of the file gives every
 * netrc request a new key), never looser.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sha2.h>

#include "creds.h"
#include "xalloc.h"

/* libcurl's own choice: $HOME/.netrc, else the password database's home. */
static char *
netrc_default(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if ((home == NULL || *home == '\0') &&
	    (pw = getpwuid(getuid())) != NULL)
		home = pw->pw_dir;
	if (home == NULL || *home == '\0')
		return NULL;
	return xasprintf("%s/.netrc", home);
}

/* Sums the file open on fd into sum.  Returns 0 or -1 (errno set). */
static int
netrc_sum(int fd, unsigned char sum[32])
{
	unsigned char chunk[8192];
	SHA2_CTX ctx;
	ssize_t n;

	SHA256Init(&ctx);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		SHA256Update(&ctx, chunk, (size_t)n);
	explicit_bzero(chunk, sizeof(chunk));
	SHA256Final(sum, &ctx);
	return n == 0 ? 0 : -1;
}

int
creds_netrc(struct config *cfg, char **why)
{
	const char *opt = cfg->netrc_file != NULL ? "--netrc-file" :
	    "--netrc";
	struct stat st;
	int fd;

	*why = NULL;
	if (cfg->netrc == NETRC_OFF)
		return 0;
	cfg->netrc_path = cfg->netrc_file != NULL ?
	    xstrdup(cfg->netrc_file) : netrc_default();
	if (cfg->netrc_path == NULL) {
		*why = xasprintf("%s: no home folder to find .netrc in", opt);
		return -1;
	}
	memset(cfg->netrc_sum, 0, sizeof(cfg->netrc_sum));
	if ((fd = open(cfg->netrc_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) ==
	    -1) {
		if (errno == ENOENT && cfg->netrc == NETRC_OPTIONAL)
			return 0;
		*why = xasprintf("%s: %s: %s", opt, cfg->netrc_path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    netrc_sum(fd, cfg->netrc_sum) == -1) {
		*why = xasprintf("%s: %s: not a file that can be read", opt,
		    cfg->netrc_path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
creds_secret_header(const struct config *cfg, const char *name, size_t len)
{
	static const char *const always[] = { "Authorization",
	    "Proxy-Authorization", "Cookie" };
	size_t i;

	for (i = 0; i < sizeof(always) / sizeof(always[0]); i++)
		if (strlen(always[i]) == len &&
		    strncasecmp(always[i], name, len) == 0)
			return 1;
	for (i = 0; i < cfg->nsecret_headers; i++)
		if (strlen(cfg->secret_headers[i]) == len &&
		    strncasecmp(cfg->secret_headers[i], name, len) == 0)
			return 1;
	return 0;
}
