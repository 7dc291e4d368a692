//go:build unix

package fsroot

import "syscall"

// openNonblock makes opening a FIFO return at once instead of waiting for a writer; the file is
// then refused as not regular.
const openNonblock = syscall.O_NONBLOCK
