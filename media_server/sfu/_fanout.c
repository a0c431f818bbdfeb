/* Batched SRTP protect + send of one upstream packet's copies to many viewers.
 *
 * Why C: per copy, the Python path paid pylibsrtp's cffi wrapper (a buffer
 * allocation and two copies), asyncio's datagram wrapper and one interpreted
 * call chain each. Here one call takes the whole batch: each copy is
 * protected with its viewer's own libsrtp context (the very context aiortc
 * derived from that viewer's DTLS handshake, so the rollover counter and
 * replay state stay the viewer's) into a slot of a static buffer, then sent
 * on the viewer's ICE socket with the GIL released. Runs of copies for the
 * same socket go out in one sendmmsg; others in one sendto each (each viewer
 * has its own ICE socket, so copies for different viewers cannot share a
 * system call).
 *
 * libsrtp is not linked here: pylibsrtp bundles it, and the address of its
 * srtp_protect is handed in once by set_protect() (media_server/sfu/aiortc_hooks.py).
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

/* One call's scratch space: per call, not static, because the GIL is released while sending. */
typedef struct {
    unsigned char slots[CHUNK][SLOT];
    struct sockaddr_storage addrs[CHUNK];
    struct mmsghdr msgs[CHUNK];
    struct iovec iovs[CHUNK];
    int fds[CHUNK];
} Scratch;

static PyObject *
set_protect(PyObject *self, PyObject *arg)
{
    void *address = PyLong_AsVoidPtr(arg);
    if (address == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "srtp_protect address must not be 0");
        return NULL;
    }
    protect = (protect_fn)address;
    Py_RETURN_NONE;
}

/* Sends msgs[0..count) grouped by consecutive fd; returns how many datagrams the kernel took. */
static Py_ssize_t
flush(Scratch *b, int count)
{
    int *fds = b->fds;
    struct iovec *iovs = b->iovs;
    struct mmsghdr *msgs = b->msgs;
    Py_ssize_t sent = 0;
    int i = 0;
    while (i < count) {
        int run = 1;
        while (i + run < count && fds[i + run] == fds[i])
            run++;
        if (run == 1) {
            ssize_t rc = sendto(fds[i], iovs[i].iov_base, iovs[i].iov_len, MSG_DONTWAIT,
                                (struct sockaddr *)&b->addrs[i], msgs[i].msg_hdr.msg_namelen);
            if (rc >= 0)
                sent++;
        } else {
            int rc = sendmmsg(fds[i], &msgs[i], (unsigned int)run, MSG_DONTWAIT);
            if (rc > 0)
                sent += rc;
        }
        i += run;
    }
    return sent;
}

/* send(entries) -> (sent, failed); entries: list of (srtp ctx address, fd, sockaddr bytes, rtp bytes). */
static PyObject *
send_batch(PyObject *self, PyObject *arg)
{
    if (protect == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "set_protect() was not called");
        return NULL;
    }
    if (!PyList_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "entries must be a list");
        return NULL;
    }
    Py_ssize_t total = PyList_GET_SIZE(arg);
    if (total == 0)
        return Py_BuildValue("(nn)", (Py_ssize_t)0, (Py_ssize_t)0);
    Scratch *b = PyMem_RawMalloc(sizeof(Scratch));
    if (b == NULL)
        return PyErr_NoMemory();
    Py_ssize_t sent = 0, failed = 0;
    Py_ssize_t index = 0;
    while (index < total) {
        int count = 0;
        for (; index < total && count < CHUNK; index++) {
            PyObject *entry = PyList_GET_ITEM(arg, index);
            if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 4) {
                PyErr_SetString(PyExc_TypeError, "each entry must be (ctx, fd, sockaddr, data)");
                PyMem_RawFree(b);
                return NULL;
            }
            PyObject *addr = PyTuple_GET_ITEM(entry, 2), *data = PyTuple_GET_ITEM(entry, 3);
            if (!PyBytes_Check(addr) || !PyBytes_Check(data)) {
                PyErr_SetString(PyExc_TypeError, "sockaddr and data must be bytes");
                PyMem_RawFree(b);
                return NULL;
            }
            void *ctx = PyLong_AsVoidPtr(PyTuple_GET_ITEM(entry, 0));
            long fd = PyLong_AsLong(PyTuple_GET_ITEM(entry, 1));
            if (PyErr_Occurred()) {
                PyMem_RawFree(b);
                return NULL;
            }
            Py_ssize_t addr_len = PyBytes_GET_SIZE(addr), data_len = PyBytes_GET_SIZE(data);
            if (ctx == NULL || fd < 0 || addr_len < 2 || addr_len > MAX_ADDR || data_len < 12 || data_len > MAX_RTP) {
                failed++;
                continue;
            }
            unsigned char *slot = b->slots[count];
            memcpy(slot, PyBytes_AS_STRING(data), (size_t)data_len);
            int len = (int)data_len;
            if (protect(ctx, slot, &len) != 0 || len <= 0 || len > SLOT) {
                failed++;
                continue;
            }
            memcpy(&b->addrs[count], PyBytes_AS_STRING(addr), (size_t)addr_len);
            b->iovs[count].iov_base = slot;
            b->iovs[count].iov_len = (size_t)len;
            memset(&b->msgs[count], 0, sizeof(b->msgs[count]));
            b->msgs[count].msg_hdr.msg_name = &b->addrs[count];
            b->msgs[count].msg_hdr.msg_namelen = (socklen_t)addr_len;
            b->msgs[count].msg_hdr.msg_iov = &b->iovs[count];
            b->msgs[count].msg_hdr.msg_iovlen = 1;
            b->fds[count] = (int)fd;
            count++;
        }
        Py_ssize_t took;
        Py_BEGIN_ALLOW_THREADS
        took = flush(b, count);
        Py_END_ALLOW_THREADS
        sent += took;
        failed += count - took;
    }
    PyMem_RawFree(b);
    return Py_BuildValue("(nn)", sent, failed);
}

static PyMethodDef methods[] = {
    {"set_protect", set_protect, METH_O, "Give the address of libsrtp's srtp_protect (pylibsrtp's copy)."},
    {"send", send_batch, METH_O, "Protect and send [(ctx, fd, sockaddr, rtp), ...]; returns (sent, failed)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_fanout", "Batched SRTP protect + send of forwarded RTP copies.", -1, methods,
};

PyMODINIT_FUNC
PyInit__fanout(void)
{
    return PyModule_Create(&module);
}
