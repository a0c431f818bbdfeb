/* moderation._fastscan: shared declarations of its two translation units.
 * _fastscan_matcher.c: the Aho-Corasick Matcher type; _fastscan_record.c: the Record builder; _fastscan.c: the Folder type (fold,
 * offsets, clause ends, numbers, one scan per message) and the module. */
#ifndef LIVEHIRE_FASTSCAN_H
#define LIVEHIRE_FASTSCAN_H
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

/* One transition in 8 bytes: bits 0-41 ((state << 21) | ch) + 1 (0 = empty), bits 42-63 the next state. States
 * fit in 20 bits (Matcher() refuses keys of 2^20 characters or more), so the global lexicon's table is 2 MiB. */
typedef uint64_t Slot;
#define SLOT_KEY_BITS 42
#define SLOT_KEY_MASK ((UINT64_C(1) << SLOT_KEY_BITS) - 1)
#define MAX_STATES (1 << 20)

typedef struct {
    PyObject_HEAD
    Slot *slots;
    uint64_t mask;
    int32_t *fail;
    int32_t *out;  /* payload index ending at this state, or -1 */
    int32_t *dict; /* nearest state on the fail chain with an output, 0 = none */
    Py_ssize_t nstates;
    PyObject *payloads; /* tuple: a private copy, so Python cannot resize it under us */
    uint64_t first[4]; /* bit (c & 255) set for every key's first character c: the root's cheap no (round 24) */
} Matcher;

extern PyTypeObject MatcherType;
extern PyTypeObject RecordType; /* _fastscan_record.c: fills a slotted class's instances directly */
extern PyTypeObject TupleRecordType; /* _fastscan_record.c: builds a NamedTuple's instances directly */

/* Every occurrence of every key in buf[0:n): a new list of (end_inclusive, payload). */
PyObject *matcher_run(const Matcher *m, const Py_UCS4 *buf, Py_ssize_t n);

#endif
