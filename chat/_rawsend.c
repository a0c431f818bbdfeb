/* One byte string to many sockets, with the GIL released for the whole loop.
 *
 * Why C: chat/writers.py splits a big room's flush over helper threads so the
 * kernel's send() of different sockets runs on several cores. In Python each
 * os.write releases and takes back the GIL, so the threads hand the GIL to one
 * another once per socket and mostly wait for it. Here the loop runs without
 * the GIL: the threads' sends overlap for real, and the calling thread pays two
 * GIL transitions per call instead of two per socket.
 *
 * Contract (the same as chat.writers._send_all, which stays as the fallback):
 * send_all(fds, data) writes data to each fd once and returns, in order, the
 * (index, bytes taken) of each fd that did not take all of it. EAGAIN, a dead
 * peer or a closed fd count as 0 bytes taken: the caller hands the rest to the
 * fd's transport, which meets the same condition and deals with it as usual.
 * MSG_NOSIGNAL: a peer gone never raises SIGPIPE; MSG_DONTWAIT: never blocks,
 * whatever the fd's own flags.
 */
#define _GNU_SOURCE
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Bytes that one send() to fd took, retrying interrupted calls; 0 on any error. */
static Py_ssize_t
send_once(int fd, const char *buf, Py_ssize_t size)
{
    for (;;) {
        ssize_t rc = send(fd, buf, (size_t)size, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (rc >= 0)
            return (Py_ssize_t)rc;
        if (errno != EINTR)
            return 0;
    }
}

static PyObject *
send_all(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *list;
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "O!y*:send_all", &PyList_Type, &list, &data))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(list);
    int *fds = PyMem_RawMalloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    Py_ssize_t *short_index = PyMem_RawMalloc((size_t)(n > 0 ? n : 1) * sizeof(Py_ssize_t));
    Py_ssize_t *short_sent = PyMem_RawMalloc((size_t)(n > 0 ? n : 1) * sizeof(Py_ssize_t));
    PyObject *result = NULL;
    if (fds == NULL || short_index == NULL || short_sent == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        long fd = PyLong_AsLong(PyList_GET_ITEM(list, i));
        if (fd == -1 && PyErr_Occurred())
            goto done;
        if (fd < 0 || fd > INT_MAX) {
            PyErr_Format(PyExc_ValueError, "not a file descriptor: %ld", fd);
            goto done;
        }
        fds[i] = (int)fd;
    }
    Py_ssize_t shorts = 0;
    const char *buf = data.buf;
    Py_ssize_t size = data.len;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t sent = send_once(fds[i], buf, size);
        if (sent != size) {
            short_index[shorts] = i;
            short_sent[shorts] = sent;
            shorts++;
        }
    }
    Py_END_ALLOW_THREADS
    result = PyList_New(shorts);
    if (result == NULL)
        goto done;
    for (Py_ssize_t k = 0; k < shorts; k++) {
        PyObject *pair = Py_BuildValue("(nn)", short_index[k], short_sent[k]);
        if (pair == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, k, pair);
    }
done:
    PyMem_RawFree(fds);
    PyMem_RawFree(short_index);
    PyMem_RawFree(short_sent);
    PyBuffer_Release(&data);
    return result;
}

static PyMethodDef methods[] = {
    {"send_all", send_all, METH_VARARGS,
     "send_all(fds, data, /) -> [(index, bytes taken)] of the fds that did not take all of data."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_rawsend", "One byte string to many sockets without the GIL.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__rawsend(void)
{
    return PyModule_Create(&module);
}
