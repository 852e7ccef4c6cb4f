/*
 * Option values gather takes from curl, in curl's own syntax: -E's
 * FILE[:PASSWORD] with its escapes, and the HOST:PORT:... entries of
 * --resolve and --connect-to.  They are checked and split here; libcurl
 * takes them as they are (transfer.c).
 */
#ifndef GATHER_CURLARG_H
#define GATHER_CURLARG_H

/*
 * Splits -E's value as curl does: the first ':' not escaped ends the file
 * name and starts the password; in the name "\:" is a ':' and "\\" a '\',
 * and any other '\' stays as it is.  A value starting with "pkcs11:" is a
 * name as a whole.  *file and *password (NULL when there is none) are
 * allocated; the caller frees them.
 */
void	curlarg_cert(const char *, char **, char **);

/*
 * 0 when the value is a --resolve entry libcurl takes:
 * [+]HOST:PORT:ADDR[,ADDR]..., each ADDR an IPv4 or IPv6 address (the
 * latter in brackets or not), or -HOST:PORT to drop an entry.  Else -1,
 * and a static reason in *why.
 */
int	curlarg_resolve(const char *, const char **);

/*
 * 0 when the value is a --connect-to entry HOST1:PORT1:HOST2:PORT2, where
 * any part may be empty and an IPv6 address is in brackets.  Else -1, and
 * a static reason in *why.
 */
int	curlarg_connect_to(const char *, const char **);

#endif
