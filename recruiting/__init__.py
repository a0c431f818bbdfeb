"""Recruiting: jobs, live sessions and job cards, applications, back office, interviews, numbers.

Module map (imports point down this list, never up; ``tests/recruiting/test_layout.py`` checks
that there is no cycle):

``service.py``
    :class:`~recruiting.service.RecruitingService`, the façade the composition root builds: the apply
    hot path's entry (group committer, metrics, publish), pinning, session state, and one method per
    use case the adapters call. Its ports (:mod:`recruiting.ports`) come in through the constructor.
``ports.py``
    The small protocols recruiting needs from the rest of the server (the chat audience, the other
    holders of personal data, the live licence, and for job review the industry list, the ledger of
    decisions and the mandate documents: ``JobPorts``); ``livehire.app`` passes the implementations in.
``seed.py``
    Demo jobs for the embedded server.
``domain/``
    Pure rules and data, no I/O: ``rules`` (licence → job kind, job fields, status pipeline,
    profiles), ``records`` (frozen dataclasses of jobs, applications, interviews, live sessions),
    ``review`` (job review: states, the filter's reasons, decisions, what may be pinned),
    ``apply`` (the apply batch's decisions: ``BatchPlan``, ids, outcomes), ``tally`` (a live
    session's counting rules).
``usecases/``
    Work that is neither a rule nor SQL: ``committer`` (group commit of the hot path) and ``monitor``
    (periodic sampling of live sessions, interview reminders).
``repositories/``
    Everything that talks SQL: jobs, job_review (the review queue and decisions), versions (published
    versions of jobs), office (inbox, pipeline), interviews, live sessions, members,
    privacy (export and erasure), access (who reads which resumes), and ``apply_sql`` (the apply
    writer and its two drivers, sqlite3 and asyncpg; the only SQL on the hot path).
``events/``
    The resume-delivery event log as a backend port: ``port`` (the ``EventLog`` protocol),
    ``memory`` and ``redis_stream`` (the two implementations, one contract suite), ``fanout`` (this
    node's readers), ``encoding`` (one JSON encoding per event), ``outbox`` (events written with
    their application and republished if a node dies), ``factory`` (which log at start-up).
``numbers/``
    Virtual numbers (AXB, standard 5.1.5): ``port`` (``NumberProvider``), ``simulated`` (embedded),
    and the carrier adapters beside it.
``web/``
    Adapters: REST routes (``http`` public and candidate, ``http_office`` back office, ``http_live``
    sessions and studio, ``http_review`` the job review desk, versions and mandates; ``deps`` what they
    share), chat frames (``frames``), ``openapi``.

Why this split: a newcomer can tell from the folder which modules are pure, which hold SQL and
which speak HTTP or chat; the hot path (``service`` → ``usecases.committer`` →
``repositories.apply_sql`` → ``domain.apply``) is the same code as before, only moved.
"""
