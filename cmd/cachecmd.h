/* gather cache stats|list|prune|purge|rm URL: the cache verbs. */
#ifndef GATHER_CACHECMD_H
#define GATHER_CACHECMD_H

/* Runs the verb in argv (argv[0] is "cache"); returns the exit status. */
int	cachecmd_main(int, char **);

#endif
