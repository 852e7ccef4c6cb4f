/* gather join FILE...: the shards' outputs merged into one document. */
#ifndef GATHER_JOINCMD_H
#define GATHER_JOINCMD_H

/* Runs the verb in argv (argv[0] is "join"); returns the exit status. */
int	joincmd_main(int, char **);

#endif
