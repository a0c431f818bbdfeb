"""The chat's shared state as small ports (:mod:`chat.bus.ports`), each with a memory and a Redis side.

``ports`` (protocols, values, the ``ChatBus`` bundle) · ``memory`` (one process) · ``redis_common``
(client, keys, error guard) · ``redis_broker`` · ``redis_stores`` (review queue, controls, audit) ·
``redis_personal`` (§45/§47) · ``redis_ratelimit`` · ``privacy`` (whose data an item is) ·
``factory`` (``create_bus``). Nothing is imported here, so importing a port never loads a backend.
"""
