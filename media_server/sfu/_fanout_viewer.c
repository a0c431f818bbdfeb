/* Per-viewer rewrite state and the whole per-copy path of a steady viewer in C (included by _fanout.c).
 *
 * Why: after batching, what remained per copy was interpreted Python: the
 * munger's (seq, timestamp) mapping, the 12-byte header, the stats counters
 * and the writer. A Viewer holds exactly the state those steps read and
 * write, and forward() runs them for every steady viewer of a track in one
 * call per upstream packet: rewrite the header, protect with the viewer's own
 * libsrtp context, send, count. Python keeps every rare event (start at a
 * keyframe, layer switch, NACK answer, pause, host reconnect): it reads the
 * state back into its SequenceMunger and ViewerStats first (the attributes
 * below), so both paths share one mapping and one set of counters.
 *
 * The arithmetic mirrors media_server/sfu/munger.py (SequenceMunger.map) and
 * stats.py (ViewerStats.on_sent); tests/media/test_fanout_viewer.py compares
 * the two on random sequences with wraps and switches.
 */
#include <structmember.h>

#define MAX_HEAD 64 /* fixed header + this viewer's header extension */

typedef struct {
    PyObject_HEAD
    PyObject *owner; /* keeps the SRTP session (ctx) and the socket (fd) alive while this copy may send */
    void *ctx;
    int fd;
    socklen_t addr_len;
    struct sockaddr_storage addr;
    unsigned char head[MAX_HEAD]; /* header template: first byte, payload type, SSRC, then the extension */
    int head_len;
    int stamp_at; /* offset of the 3 abs-send-time bytes in head, or -1 */
    /* SequenceMunger */
    int seq_offset, last_out_seq, start_seq, has_wall;
    unsigned int ts_offset, last_out_ts;
    double last_wall;
    /* ViewerStats, and what the sender report needs: the counters at the last frame's end */
    long long packets, octets, window_bytes, sr_packets, sr_octets;
    double window_start, bitrate, sr_wall;
    unsigned int sr_ts;
    int sr_new;
} Viewer;

static int
viewer_init(Viewer *self, PyObject *args, PyObject *kwds)
{
    static char *names[] = {"ctx", "fd", "sockaddr", "head", "stamp_at", "owner", NULL};
    PyObject *ctx, *owner;
    int fd, stamp_at;
    const char *addr, *head;
    Py_ssize_t addr_len, head_len;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "Oiy#y#iO", names, &ctx, &fd, &addr, &addr_len, &head, &head_len,
                                     &stamp_at, &owner))
        return -1;
    self->ctx = PyLong_AsVoidPtr(ctx);
    if (self->ctx == NULL && PyErr_Occurred())
        return -1;
    if (self->ctx == NULL || fd < 0 || addr_len < 2 || addr_len > MAX_ADDR || head_len < 12 || head_len > MAX_HEAD ||
        (stamp_at >= 0 && (stamp_at < 12 || stamp_at + 3 > head_len))) {
        PyErr_SetString(PyExc_ValueError, "bad context, fd, sockaddr, header template or stamp offset");
        return -1;
    }
    self->fd = fd;
    self->addr_len = (socklen_t)addr_len;
    memcpy(&self->addr, addr, (size_t)addr_len);
    memcpy(self->head, head, (size_t)head_len);
    self->head_len = (int)head_len;
    self->stamp_at = stamp_at;
    Py_INCREF(owner);
    Py_XSETREF(self->owner, owner);
    return 0;
}

static void
viewer_dealloc(Viewer *self)
{
    Py_XDECREF(self->owner);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMemberDef viewer_members[] = {
    {"seq_offset", T_INT, offsetof(Viewer, seq_offset), 0, NULL},
    {"ts_offset", T_UINT, offsetof(Viewer, ts_offset), 0, NULL},
    {"last_out_seq", T_INT, offsetof(Viewer, last_out_seq), 0, NULL},
    {"last_out_ts", T_UINT, offsetof(Viewer, last_out_ts), 0, NULL},
    {"last_wall", T_DOUBLE, offsetof(Viewer, last_wall), 0, NULL},
    {"has_wall", T_INT, offsetof(Viewer, has_wall), 0, NULL},
    {"start_seq", T_INT, offsetof(Viewer, start_seq), 0, NULL},
    {"packets", T_LONGLONG, offsetof(Viewer, packets), 0, NULL},
    {"octets", T_LONGLONG, offsetof(Viewer, octets), 0, NULL},
    {"window_bytes", T_LONGLONG, offsetof(Viewer, window_bytes), 0, NULL},
    {"window_start", T_DOUBLE, offsetof(Viewer, window_start), 0, NULL},
    {"bitrate", T_DOUBLE, offsetof(Viewer, bitrate), 0, NULL},
    {"sr_packets", T_LONGLONG, offsetof(Viewer, sr_packets), 0, NULL},
    {"sr_octets", T_LONGLONG, offsetof(Viewer, sr_octets), 0, NULL},
    {"sr_ts", T_UINT, offsetof(Viewer, sr_ts), 0, NULL},
    {"sr_wall", T_DOUBLE, offsetof(Viewer, sr_wall), 0, NULL},
    {"sr_new", T_INT, offsetof(Viewer, sr_new), 0, NULL},
    {"fd", T_INT, offsetof(Viewer, fd), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject ViewerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "_fanout.Viewer",
    .tp_basicsize = sizeof(Viewer),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "One viewer track's rewrite state, counters and socket, for forward().",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)viewer_init,
    .tp_dealloc = (destructor)viewer_dealloc,
    .tp_members = viewer_members,
};

/* Munger + header into slot; counters; returns the RTP length, or 0 to skip this copy (before its start). */
static int
rewrite(Viewer *v, unsigned char *slot, int seq, unsigned int ts, int marker, const unsigned char *payload,
        Py_ssize_t payload_len, const unsigned char *stamp, double now)
{
    int back = (v->start_seq - seq) & 0xFFFF;
    if (back > 0 && back < 32768)
        return 0; /* reordered packet from before this viewer's start point */
    int out_seq = (seq + v->seq_offset) & 0xFFFF;
    unsigned int out_ts = ts + v->ts_offset; /* mod 2^32 */
    int ahead = (out_seq - v->last_out_seq) & 0xFFFF;
    if (ahead > 0 && ahead < 32768) {
        v->last_out_seq = out_seq;
        v->last_out_ts = out_ts;
        v->last_wall = now;
        v->has_wall = 1;
    }
    memcpy(slot, v->head, (size_t)v->head_len);
    slot[1] = (unsigned char)((marker ? 0x80 : 0) | (v->head[1] & 0x7F));
    slot[2] = (unsigned char)(out_seq >> 8);
    slot[3] = (unsigned char)out_seq;
    slot[4] = (unsigned char)(out_ts >> 24);
    slot[5] = (unsigned char)(out_ts >> 16);
    slot[6] = (unsigned char)(out_ts >> 8);
    slot[7] = (unsigned char)out_ts;
    if (v->stamp_at >= 0)
        memcpy(slot + v->stamp_at, stamp, 3);
    memcpy(slot + v->head_len, payload, (size_t)payload_len);
    v->packets++;
    v->octets += payload_len;
    v->window_bytes += payload_len;
    double elapsed = now - v->window_start;
    if (elapsed >= 1.0) {
        v->bitrate = (double)v->window_bytes * 8 / elapsed;
        v->window_start = now;
        v->window_bytes = 0;
    }
    if (marker) {
        v->sr_packets = v->packets;
        v->sr_octets = v->octets;
        v->sr_ts = out_ts;
        v->sr_wall = now;
        v->sr_new = 1;
    }
    return v->head_len + (int)payload_len;
}

/* forward(viewers, seq, ts, marker, payload, stamp, now) -> (sent, failed, [(index, protected)] to retry) */
static PyObject *
forward_copies(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *viewers;
    int seq, marker;
    unsigned int ts;
    const char *payload, *stamp;
    Py_ssize_t payload_len, stamp_len;
    double now;
    if (!PyArg_ParseTuple(args, "O!iIiy#y#d", &PyList_Type, &viewers, &seq, &ts, &marker, &payload, &payload_len,
                          &stamp, &stamp_len, &now))
        return NULL;
    if (protect == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "set_protect() was not called");
        return NULL;
    }
    if (stamp_len != 3) {
        PyErr_SetString(PyExc_ValueError, "stamp must be 3 bytes");
        return NULL;
    }
    PyObject *retry = PyList_New(0);
    if (retry == NULL)
        return NULL;
    Py_ssize_t total = PyList_GET_SIZE(viewers), sent = 0, failed = 0, index = 0;
    while (index < total) {
        int count = 0;
        for (; index < total && count < CHUNK; index++) {
            PyObject *item = PyList_GET_ITEM(viewers, index);
            if (!PyObject_TypeCheck(item, &ViewerType)) {
                PyErr_SetString(PyExc_TypeError, "viewers must be _fanout.Viewer objects");
                goto error;
            }
            Viewer *v = (Viewer *)item;
            if (v->head_len + payload_len > MAX_RTP) { /* what the Python writer would send, counted */
                failed++;
                continue;
            }
            unsigned char *slot = slots[count];
            int len = rewrite(v, slot, seq & 0xFFFF, ts, marker, (const unsigned char *)payload, payload_len,
                              (const unsigned char *)stamp, now);
            if (len == 0)
                continue;
            if (protect(v->ctx, slot, &len) != 0 || len <= 0 || len > SLOT) {
                failed++;
                continue;
            }
            memcpy(&addrs[count], &v->addr, v->addr_len);
            iovs[count].iov_base = slot;
            iovs[count].iov_len = (size_t)len;
            memset(&msgs[count], 0, sizeof(msgs[count]));
            msgs[count].msg_hdr.msg_name = &addrs[count];
            msgs[count].msg_hdr.msg_namelen = v->addr_len;
            msgs[count].msg_hdr.msg_iov = &iovs[count];
            msgs[count].msg_hdr.msg_iovlen = 1;
            fds[count] = v->fd;
            origin[count] = index;
            count++;
        }
        Py_ssize_t before = PyList_GET_SIZE(retry), took = 0;
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
