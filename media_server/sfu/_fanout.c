/* Batched SRTP protect + send of one upstream packet's copies to many viewers.
 *
 * Why C: per copy, the Python path paid pylibsrtp's cffi wrapper (a buffer
 * allocation and two copies), asyncio's datagram wrapper and one interpreted
 * call chain each. Here one call takes the whole batch: each copy is
 * protected with its viewer's own libsrtp context (the very context aiortc
 * derived from that viewer's DTLS handshake, so the rollover counter and
 * replay state stay the viewer's) and sent on the viewer's ICE socket. Runs
 * of copies for the same socket go out in one sendmmsg; others in one sendto
 * each (each viewer has its own ICE socket, so copies for different viewers
 * cannot share a system call).
 *
 * The GIL stays held: a batch takes tens of microseconds, and giving the GIL
 * away per batch could cost a switch interval (5 ms) to get it back from a
 * busy thread, in the middle of a fan-out.
 *
 * A copy the kernel refuses for now (EAGAIN, ENOBUFS: the socket's send
 * buffer is full) is handed back, protected, so the caller can queue it in
 * asyncio's transport as the one-by-one path would have; other errors count
 * as failed (UDP loss).
 *
 * libsrtp is not linked here: pylibsrtp bundles it, and the address of its
 * srtp_protect is handed in once by set_protect() (media_server/sfu/aiortc_hooks.py).
 *
 * send() takes copies already rewritten in Python (the first copies of a viewer's
 * start, NACK-free slow path); forward() (_fanout_viewer.c) also rewrites them.
 */
#define _GNU_SOURCE
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

/* libsrtp 2.x: srtp_err_status_t srtp_protect(srtp_t ctx, void *rtp_hdr, int *len_ptr) */
typedef int (*protect_fn)(void *ctx, void *rtp, int *len);

#define CHUNK 64
#define TRAILER 144 /* SRTP_MAX_TAG_LEN + SRTP_MAX_MKI_LEN, as pylibsrtp reserves */
#define MAX_RTP 1500
#define SLOT (MAX_RTP + TRAILER)
#define MAX_ADDR 28 /* sizeof(struct sockaddr_in6) */

static protect_fn protect = NULL;

/* Scratch space of one chunk: static, which is safe because the GIL is held throughout. */
static unsigned char slots[CHUNK][SLOT];
static struct sockaddr_storage addrs[CHUNK];
static struct mmsghdr msgs[CHUNK];
static struct iovec iovs[CHUNK];
static int fds[CHUNK];
static Py_ssize_t origin[CHUNK]; /* the entry each slot came from */

static PyObject *
set_protect(PyObject *self, PyObject *arg)
{
    (void)self;
    void *address = PyLong_AsVoidPtr(arg);
    if (address == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "srtp_protect address must not be 0");
        return NULL;
    }
    protect = (protect_fn)address;
    Py_RETURN_NONE;
}

static int
would_block(int err)
{
    return err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS;
}

/* One slot by sendto: 1 sent, 0 failed, -1 Python error (appending to retry). */
static int
send_one(int i, PyObject *retry)
{
    ssize_t rc = sendto(fds[i], iovs[i].iov_base, iovs[i].iov_len, MSG_DONTWAIT, (struct sockaddr *)&addrs[i],
                        msgs[i].msg_hdr.msg_namelen);
    if (rc >= 0)
        return 1;
    if (!would_block(errno))
        return 0;
    PyObject *item = Py_BuildValue("(ny#)", origin[i], (const char *)iovs[i].iov_base, (Py_ssize_t)iovs[i].iov_len);
    if (item == NULL || PyList_Append(retry, item) < 0) {
        Py_XDECREF(item);
        return -1;
    }
    Py_DECREF(item);
    return 0;
}

/* Sends slots [0, count) grouped by consecutive fd; adds to *sent; -1 on a Python error. */
static int
flush(int count, Py_ssize_t *sent, PyObject *retry)
{
    int i = 0;
    while (i < count) {
        int run = 1;
        while (i + run < count && fds[i + run] == fds[i])
            run++;
        int done = 0;
        if (run > 1) {
            int rc = sendmmsg(fds[i], &msgs[i], (unsigned int)run, MSG_DONTWAIT);
            done = rc > 0 ? rc : 0;
            *sent += done;
        }
        for (int j = i + done; j < i + run; j++) { /* a lone copy, or what sendmmsg left: one by one */
            int rc = send_one(j, retry);
            if (rc < 0)
                return -1;
            *sent += rc;
        }
        i += run;
    }
    return 0;
}

/* send(entries) -> (sent, failed, retry); entries: list of (srtp ctx address, fd, sockaddr bytes, rtp bytes, ...);
 * retry: [(entry index, protected bytes)] of copies refused with EAGAIN/ENOBUFS. */
static PyObject *
send_batch(PyObject *self, PyObject *arg)
{
    (void)self;
    if (protect == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "set_protect() was not called");
        return NULL;
    }
    if (!PyList_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "entries must be a list");
        return NULL;
    }
    PyObject *retry = PyList_New(0);
    if (retry == NULL)
        return NULL;
    Py_ssize_t total = PyList_GET_SIZE(arg);
    Py_ssize_t sent = 0, failed = 0;
    Py_ssize_t index = 0;
    while (index < total) {
        int count = 0;
        for (; index < total && count < CHUNK; index++) {
            PyObject *entry = PyList_GET_ITEM(arg, index);
            if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) < 4) {
                PyErr_SetString(PyExc_TypeError, "each entry must be (ctx, fd, sockaddr, data, ...)");
                goto error;
            }
            PyObject *addr = PyTuple_GET_ITEM(entry, 2), *data = PyTuple_GET_ITEM(entry, 3);
            if (!PyBytes_Check(addr) || !PyBytes_Check(data)) {
                PyErr_SetString(PyExc_TypeError, "sockaddr and data must be bytes");
                goto error;
            }
            void *ctx = PyLong_AsVoidPtr(PyTuple_GET_ITEM(entry, 0));
            long fd = PyLong_AsLong(PyTuple_GET_ITEM(entry, 1));
            if (PyErr_Occurred())
                goto error;
            Py_ssize_t addr_len = PyBytes_GET_SIZE(addr), data_len = PyBytes_GET_SIZE(data);
            if (ctx == NULL || fd < 0 || addr_len < 2 || addr_len > MAX_ADDR || data_len < 12 || data_len > MAX_RTP) {
                failed++;
                continue;
            }
            unsigned char *slot = slots[count];
            memcpy(slot, PyBytes_AS_STRING(data), (size_t)data_len);
            int len = (int)data_len;
            if (protect(ctx, slot, &len) != 0 || len <= 0 || len > SLOT) {
                failed++;
                continue;
            }
            memcpy(&addrs[count], PyBytes_AS_STRING(addr), (size_t)addr_len);
            iovs[count].iov_base = slot;
            iovs[count].iov_len = (size_t)len;
            memset(&msgs[count], 0, sizeof(msgs[count]));
            msgs[count].msg_hdr.msg_name = &addrs[count];
            msgs[count].msg_hdr.msg_namelen = (socklen_t)addr_len;
            msgs[count].msg_hdr.msg_iov = &iovs[count];
            msgs[count].msg_hdr.msg_iovlen = 1;
            fds[count] = (int)fd;
            origin[count] = index;
            count++;
        }
        Py_ssize_t before = PyList_GET_SIZE(retry);
        Py_ssize_t took = 0;
        if (flush(count, &took, retry) < 0)
            goto error;
        sent += took;
        failed += count - took - (PyList_GET_SIZE(retry) - before);
    }
    return Py_BuildValue("(nnN)", sent, failed, retry);
error:
    Py_DECREF(retry);
    return NULL;
}

/* One translation unit with the Viewer type, so both paths share the static scratch buffers and flush(). */
#include "_fanout_viewer.c"

static PyMethodDef methods[] = {
    {"set_protect", set_protect, METH_O, "Give the address of libsrtp's srtp_protect (pylibsrtp's copy)."},
    {"send", send_batch, METH_O,
     "Protect and send [(ctx, fd, sockaddr, rtp, ...), ...]; returns (sent, failed, [(index, protected)] to retry)."},
    {"forward", forward_copies, METH_VARARGS,
     "Rewrite, protect and send one packet to each steady Viewer: (viewers, seq, ts, marker, payload, stamp, now) "
     "-> (sent, failed, [(index, protected)] to retry)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_fanout", "Batched SRTP protect + send of forwarded RTP copies.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__fanout(void)
{
    if (PyType_Ready(&ViewerType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&ViewerType);
    if (PyModule_AddObject(m, "Viewer", (PyObject *)&ViewerType) < 0) {
        Py_DECREF(&ViewerType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
