/*
 * The cache folder's old layout, one file per entry (DIR/ab/<sha256>), as
 * gather kept it before cache.db: imported into the store once, then
 * removed.
 */
#ifndef GATHER_STORE_LEGACY_H
#define GATHER_STORE_LEGACY_H

#include "store.h"

/*
 * Imports the whole, valid entries of the old layout under the folder
 * dirfd into st, then removes the old files and their folders (damaged
 * ones too).  Sets *note to an allocated line saying what it did, or NULL
 * when there was nothing of the old layout.  Returns 0 or -1.
 */
int	store_legacy_import(struct store *, int, char **);

#endif
