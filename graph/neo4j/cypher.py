"""Cypher texts of the Neo4j store.

Every value travels as a `$parameter`. Labels and relationship types are interpolated only from
the closed enums `Label` and `RelType`; property names only from the models' own field names.
The one label outside the enums, `Meta` (the graph version node), is a literal.
"""

from __future__ import annotations

from graph.kinds import KINDS, NODE_SECTIONS, RecordKind
from graph.regions import SEPARATOR
from graph.vocab import Label, RelType

INN = Label.INNOVATION.value
ACT = Label.ACTOR.value
REG = Label.REGION.value
HLX = Label.HELIX.value
COLLAB = RelType.COLLABORATES_ON.value
PARTNER = RelType.PARTNERS_WITH.value
PART_OF = RelType.PART_OF.value
BUILDS_ON = RelType.BUILDS_ON.value
IN_HELIX = RelType.IN_HELIX.value
IN_REGION = RelType.IN_REGION.value

# -- schema ------------------------------------------------------------------------------------
CONSTRAINTS: dict[str, str] = {
    "innovation_id": f"FOR (n:{INN}) REQUIRE n.id IS UNIQUE",
    "actor_id": f"FOR (n:{ACT}) REQUIRE n.id IS UNIQUE",
    "region_code": f"FOR (n:{REG}) REQUIRE n.code IS UNIQUE",
    "helix_code": f"FOR (n:{HLX}) REQUIRE n.code IS UNIQUE",
    "meta_key": "FOR (n:Meta) REQUIRE n.key IS UNIQUE",
}
_INDEXED: dict[str, tuple[str, ...]] = {
    INN: ("origin", "sector", "district", "stage", "region", "form", "program", "owner_id"),
    ACT: ("helix", "kind", "region", "district", "scope", "sector"),
}
INDEXES: dict[str, str] = {
    f"{label.lower()}_{prop}": f"FOR (n:{label}) ON (n.{prop})"
    for label, props in _INDEXED.items()
    for prop in props
}
SCHEMA_NAMES = frozenset(CONSTRAINTS) | frozenset(INDEXES)
SCHEMA_STATEMENTS: list[str] = [
    f"CREATE CONSTRAINT {name} IF NOT EXISTS {body}" for name, body in CONSTRAINTS.items()
] + [f"CREATE INDEX {name} IF NOT EXISTS {body}" for name, body in INDEXES.items()]

SHOW_SCHEMA = "SHOW INDEXES YIELD name RETURN collect(name) AS names"
SCHEMA_NODES_PRESENT = f"""
OPTIONAL MATCH (m:Meta {{key: 'graph'}})
CALL () {{ MATCH (h:{HLX}) RETURN count(h) AS helixes }}
RETURN m IS NOT NULL AS meta, helixes
"""
SCHEMA_NODES = f"""
MERGE (m:Meta {{key: 'graph'}}) ON CREATE SET m.version = 0
WITH m
UNWIND $helixes AS row
MERGE (h:{HLX} {{code: row.code}})
SET h.name_id = row.name_id, h.name_en = row.name_en
WITH DISTINCT row.code AS code
MATCH (a:{ACT} {{helix: code}}), (h:{HLX} {{code: code}})
MERGE (a)-[:{IN_HELIX}]->(h)
"""

# -- version -----------------------------------------------------------------------------------
# First statement of every write transaction: the write lock on the Meta node serialises
# writers (so a check-then-write inside one transaction is safe) and the bump commits with them.
BUMP = "MERGE (m:Meta {key: 'graph'}) ON CREATE SET m.version = 0 SET m.version = m.version + 1"
VERSION = "MATCH (m:Meta {key: 'graph'}) RETURN m.version AS version"
# Readiness: a write that touches its own Meta node, not the graph's (no version bump).
PROBE = "MERGE (p:Meta {key: 'probe'}) SET p.at = timestamp()"


def active(rel: str) -> str:
    """Cypher: the tie `rel` is active on $at (since <= at < until)."""
    return f"({rel}.since <= $at AND ({rel}.until IS NULL OR $at < {rel}.until))"


def launched(var: str) -> str:
    """Cypher: the innovation `var` counts on $at (launched by then, or launch day unknown; the
    meaning of graph.asof.launched)."""
    return f"({var}.launched_on IS NULL OR {var}.launched_on <= $at)"


def region_clause(var: str, param: str = "region") -> str:
    """Cypher: `var.region` is ${param} or lies inside it (`graph.regions.region_contains`)."""
    return f"({var}.region = ${param} OR {var}.region STARTS WITH ${param} + '{SEPARATOR}')"


# -- records, by kind (graph.kinds) -----------------------------------------------------------
def _labels(kind: RecordKind) -> tuple[str, str]:
    """The labels of a tie's two end nodes."""
    first, second = (NODE_SECTIONS[end.node].label for end in kind.ends)
    return first, second


def match(kind: RecordKind, var: str = "n") -> str:
    """MATCH of every record of `kind`: a node `var`, or a tie `r` from `x` to `y`."""
    if not kind.tie:
        return f"MATCH ({var}:{kind.label})"
    first, second = _labels(kind)
    return f"MATCH (x:{first})-[r:{kind.label}]->(y:{second})"


def returned(kind: RecordKind) -> str:
    """RETURN of a record: the properties of `n`, or the tie's end ids under its key's names
    and the properties of `r`.

    Maps, not nodes or relationships: the driver keeps every node and relationship a query
    returns in the result's graph (`Result.graph()`) until the transaction ends, which for a
    national snapshot held about 700 MiB of entities beside the records built from them.
    """
    if not kind.tie:
        return "RETURN properties(n) AS n"
    return f"RETURN x.id AS {kind.key[0]}, y.id AS {kind.key[1]}, properties(r) AS r"


def order(kind: RecordKind) -> str:
    """ORDER BY the kind's key (after `returned`)."""
    return "ORDER BY " + (f"n.{kind.key[0]}" if not kind.tie else ", ".join(kind.key))


# Bulk reads answer in one row holding a list: the driver spends far less per list item than
# per record (about 4x fewer milliseconds for a thousand nodes).
def _item(kind: RecordKind) -> str:
    """A matched record as a map shaped as a `returned` row."""
    if not kind.tie:
        return "{n: properties(n)}"
    a, b = kind.key
    return f"{{{a}: x.id, {b}: y.id, r: properties(r)}}"


def _collected(kind: RecordKind) -> str:
    """RETURN the matched records as one list `rows` (items shaped as `returned` rows)."""
    return f"RETURN collect({_item(kind)}) AS rows"


def chunked(kind: RecordKind, on_first: str = "", on_second: str = "") -> str:
    """One page of a kind's records in key order: those after the node whose key is $after (""
    at first), as one row holding `rows`, a list of them (items shaped as `returned` rows), and
    `last`, the key of the page's last node (null once none is left: the end). A node kind's
    page is its next $chunk nodes; a tie kind's the ties of the next $chunk nodes of its first
    end `x` (in key order: `x`'s id, then the other end `y`'s). `on_first`, `on_second`:
    conditions on `n` or `x`, and on `y`.

    A page is a seek on the key's index, in its order, that stops after $chunk nodes, so the
    server holds one page at a time. Collecting a whole kind and slicing it (307k ties) kept
    every record of it alive in the server's heap until the read ended, and its garbage
    collector then paused every query, the touched innovation's among them, 0.1-0.7 s at a
    time on two cores.
    """
    key = kind.key[0] if not kind.tie else "id"
    var = "n" if not kind.tie else "x"
    label = kind.label if not kind.tie else _labels(kind)[0]
    page = f"""MATCH ({var}:{label}) WHERE {var}.{key} > $after{f" AND {on_first}" if on_first else ""}
    WITH {var} ORDER BY {var}.{key} LIMIT $chunk
    WITH collect({var}) AS page"""
    if not kind.tie:
        return f"""{page}
    RETURN [n IN page | {_item(kind)}] AS rows, page[-1].{key} AS last"""
    second = _labels(kind)[1]
    return f"""{page}
    CALL (page) {{
        UNWIND page AS x
        MATCH (x)-[r:{kind.label}]->(y:{second}){f" WHERE {on_second}" if on_second else ""}
        WITH x, y, r ORDER BY x.id, y.id
        RETURN collect({_item(kind)}) AS rows
    }}
    RETURN rows, page[-1].id AS last"""


def fetch_many(kind: RecordKind) -> str:
    """The records of $keys (each a list of the key's values), one index seek each."""
    if not kind.tie:
        return (
            f"UNWIND $keys AS k MATCH (n:{kind.label} {{{kind.key[0]}: k[0]}}) {_collected(kind)}"
        )
    first, second = _labels(kind)
    return (
        f"UNWIND $keys AS k MATCH (x:{first} {{id: k[0]}})-[r:{kind.label}]->"
        f"(y:{second} {{id: k[1]}}) {_collected(kind)}"
    )


def remove(kind: RecordKind) -> str:
    """Delete the records of $keys (a node with whatever still hangs on it)."""
    if not kind.tie:
        return f"UNWIND $keys AS k MATCH (n:{kind.label} {{{kind.key[0]}: k[0]}}) DETACH DELETE n"
    first, second = _labels(kind)
    return (
        f"UNWIND $keys AS k MATCH (:{first} {{id: k[0]}})-[r:{kind.label}]->"
        f"(:{second} {{id: k[1]}}) DELETE r"
    )


def find(kind: RecordKind, field: str, dated: bool) -> str:
    """Records whose `field` is one of $ids (a tie end: an index seek each); `dated`: only ties
    active on $at."""
    if not kind.tie:
        return f"MATCH (n:{kind.label}) WHERE n.{field} IN $ids {_collected(kind)}"
    first, second = _labels(kind)
    x, y = (
        (f":{first} {{id: id}}", f":{second}")
        if field == kind.key[0]
        else (f":{first}", f":{second} {{id: id}}")
    )
    where = f" WHERE {active('r')}" if dated else ""
    return f"UNWIND $ids AS id MATCH (x{x})-[r:{kind.label}]->(y{y}){where} {_collected(kind)}"


def put(kind: RecordKind) -> str:
    """Upsert $rows of `kind` (a tie's row: its key fields and `props`)."""
    if kind.label == REG:
        return UPSERT_REGIONS
    if not kind.tie:
        return upsert_nodes(kind.label)
    if kind.symmetric:
        return UPSERT_PAIRS
    first, second = _labels(kind)
    a, b = kind.key
    return f"""
    UNWIND $rows AS row
    MATCH (x:{first} {{id: row.{a}}}), (y:{second} {{id: row.{b}}})
    MERGE (x)-[r:{kind.label}]->(y)
    SET r = row.props
    RETURN count(*) AS written
    """


def count(kind: RecordKind, where: str) -> str:
    return f"{match(kind)} {where} RETURN count(*) AS total"


def scan(kind: RecordKind, where: str, paged: bool) -> str:
    """The records matching `where`, in key order; `paged`: SKIP $offset LIMIT $limit."""
    window = " SKIP $offset LIMIT $limit" if paged else ""
    return f"{match(kind)} {where} {returned(kind)} {order(kind)}{window}"


def upsert_nodes(label: str) -> str:
    """MERGE each row by id, replace its properties, and re-link helix and region nodes."""
    helix = ""
    if label == ACT:
        helix = f"""
        WITH n
        CALL (n) {{
            OPTIONAL MATCH (n)-[old:{IN_HELIX}]->(:{HLX})
            DELETE old
        }}
        CALL (n) {{
            MATCH (h:{HLX} {{code: n.helix}})
            MERGE (n)-[:{IN_HELIX}]->(h)
        }}"""
    return f"""
    UNWIND $rows AS row
    MERGE (n:{label} {{id: row.id}})
    SET n = row
    {helix}
    WITH n
    CALL (n) {{
        OPTIONAL MATCH (n)-[old:{IN_REGION}]->(:{REG})
        DELETE old
    }}
    CALL (n) {{
        MATCH (r:{REG} {{code: n.region}})
        MERGE (n)-[:{IN_REGION}]->(r)
    }}
    RETURN count(*) AS written
    """


UPSERT_REGIONS = f"""
UNWIND $rows AS row
MERGE (r:{REG} {{code: row.code}})
SET r = row
WITH r
CALL (r) {{
    MATCH (n:{INN} {{region: r.code}})
    MERGE (n)-[:{IN_REGION}]->(r)
}}
CALL (r) {{
    MATCH (n:{ACT} {{region: r.code}})
    MERGE (n)-[:{IN_REGION}]->(r)
}}
RETURN count(*) AS written
"""


# A pair stored the other way round is updated in place (it keeps its direction).
UPSERT_PAIRS = f"""
UNWIND $rows AS row
MATCH (s:{ACT} {{id: row.source_id}}), (t:{ACT} {{id: row.target_id}})
OPTIONAL MATCH (s)-[old:{PARTNER}]-(t)
WITH s, t, row, head(collect(old)) AS old
FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END |
    CREATE (s)-[p:{PARTNER}]->(t) SET p = row.props)
FOREACH (_ IN CASE WHEN old IS NULL THEN [] ELSE [1] END | SET old = row.props)
RETURN count(*) AS written
"""

# -- whole graph -------------------------------------------------------------------------------
CLEAR_BATCH = f"""
MATCH (n) WHERE n:{INN} OR n:{ACT} OR n:{REG}
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
"""

# Ids of a region's part of the graph: its innovations; the actors tied to them, owning them
# or located in the region.
REGION_SCOPE = f"""
CALL () {{
    MATCH (i:{INN}) WHERE {region_clause("i")}
    RETURN collect(i.id) AS inn
}}
CALL (inn) {{
    UNWIND inn AS id
    MATCH (:{INN} {{id: id}})<-[:{COLLAB}]-(a:{ACT})
    RETURN collect(DISTINCT a.id) AS tied
}}
CALL (inn) {{
    UNWIND inn AS id
    MATCH (i:{INN} {{id: id}}) WHERE i.owner_id IS NOT NULL
    RETURN collect(DISTINCT i.owner_id) AS owners
}}
CALL () {{
    MATCH (a:{ACT}) WHERE {region_clause("a")}
    RETURN collect(a.id) AS located
}}
RETURN inn, tied + owners + located AS act
"""


def snapshot_queries(scoped: bool) -> dict[str, str]:
    """One paged read per record kind (`chunked`: each takes $after and $chunk); scoped ones
    take $inn and $act (the ids of the region's part: a node in its set, a tie with both ends
    in theirs)."""
    sets = {"innovation": "$inn", "actor": "$act"}
    queries = {}
    for kind in KINDS:
        conditions: tuple[str, ...] = ()
        if scoped and kind.tie:
            conditions = tuple(
                f"{var}.id IN {sets[end.node]}" for var, end in zip("xy", kind.ends, strict=True)
            )
        elif scoped and kind in NODE_SECTIONS.values():
            node = next(n for n, k in NODE_SECTIONS.items() if k is kind)
            conditions = (f"n.id IN {sets[node]}",)
        queries[kind.section] = chunked(kind, *conditions)
    return queries


# -- speed overrides -----------------------------------------------------------------------------
def coverage_gaps(scoped: bool) -> str:
    """Innovations covering fewer than $threshold helix kinds, fewest first, then by id (the
    rule of `Store.coverage_gaps`)."""
    where = f"WHERE {launched('i')}" + (f" AND {region_clause('i')}" if scoped else "")
    return f"""
    MATCH (i:{INN}) {where}
    OPTIONAL MATCH (a:{ACT})-[c:{COLLAB}]->(i) WHERE {active("c")}
    WITH i, collect(DISTINCT a.helix) AS present
    // the owner carries its innovation unless it has a recorded tie (graph.asof)
    OPTIONAL MATCH (o:{ACT} {{id: i.owner_id}}) WHERE NOT EXISTS {{ (o)-[:{COLLAB}]->(i) }}
    WITH i, present + CASE WHEN o IS NULL OR o.helix IN present THEN [] ELSE [o.helix] END
        AS present
    WITH i, present, size(present) AS coverage WHERE coverage < $threshold
    RETURN i.id AS id, i.name AS name, coverage, present
    ORDER BY coverage, id
    """


# Each innovation of $region (null: all) with the sources of its ties active on $at, counted:
# `Store.tie_sources`.
TIE_SOURCES = f"""
MATCH (i:{INN}) WHERE $region IS NULL OR {region_clause("i")}
OPTIONAL MATCH (:{ACT})-[c:{COLLAB}]->(i) WHERE {active("c")}
WITH i, c.source AS source, count(c) AS n
RETURN i.id AS id, i.name AS name,
    collect(CASE WHEN source IS NULL THEN null ELSE [source, n] END) AS sources
ORDER BY id
"""


# In brief, the ties of $ids (with their innovations' region, launch day and owner) and the
# innovations they own: `Store.around`.
AROUND = f"""
CALL () {{
    UNWIND $ids AS id
    MATCH (a:{ACT} {{id: id}})-[c:{COLLAB}]->(i:{INN})
    RETURN collect([a.id, i.id, c.since, c.until, i.region, i.launched_on, i.owner_id]) AS ties
}}
CALL () {{
    MATCH (i:{INN}) WHERE i.owner_id IN $ids
    RETURN collect([i.id, i.region, i.launched_on, i.owner_id]) AS owned
}}
RETURN ties, owned
"""


# How many innovations not in $not (the innovation itself), launched on $at and in the region
# of $within (none: anywhere), have an active tie from one of $ids: recorded, or an owner's
# implicit one (an owner with no recorded tie carries it from its launch): `Store.reach`. One
# number, however many ties those actors have (a ministry has 1,500+): the ties are followed in
# the server, not sent. The innovation and the region travel in lists (of one, or none) because
# Neo4j plans a query anew for each length bucket of a string parameter (0, 1, 2-10, 11-100, ...;
# measured on 5.26), not of a list's items: planned on the request, 0.3-1.4 s on a busy server.
REACH = f"""
CALL () {{
    UNWIND $ids AS id
    MATCH (:{ACT} {{id: id}})-[c:{COLLAB}]->(i:{INN}) WHERE {active("c")}
    RETURN i
    UNION
    UNWIND $ids AS id
    MATCH (i:{INN} {{owner_id: id}})
    WHERE NOT EXISTS {{ MATCH (:{ACT} {{id: id}})-[:{COLLAB}]->(i) }}
    RETURN i
}}
WITH i WHERE NOT i.id IN $not AND {launched("i")}
    AND all(code IN $within WHERE i.region = code OR i.region STARTS WITH code + '{SEPARATOR}')
RETURN count(i) AS reach
"""


# For $id on $at: whether the actor exists, its co-collaborators on shared innovations (both
# ties active, with both sources) and its active partnerships: `Store._partner_ties`.
PARTNER_TIES = f"""
OPTIONAL MATCH (me:{ACT} {{id: $id}})
CALL (me) {{
    OPTIONAL MATCH (me)-[m:{COLLAB}]->(i:{INN})<-[o:{COLLAB}]-(other:{ACT})
    WHERE other <> me AND {active("m")} AND {active("o")}
    RETURN collect(CASE WHEN other IS NULL THEN null ELSE [other.id, i.id, m.source, o.source] END)
        AS shared
}}
CALL (me) {{
    OPTIONAL MATCH (me)-[p:{PARTNER}]-(q:{ACT}) WHERE {active("p")}
    RETURN collect(CASE WHEN q IS NULL THEN null ELSE [q.id, p.kind, p.source] END) AS formal
}}
RETURN me IS NOT NULL AS found, shared, formal
"""
