"""Cypher texts of the Neo4j store.

Every value travels as a `$parameter`. Labels and relationship types are interpolated only from
the closed enums `Label` and `RelType`; property names only from the models' own field names.
The one label outside the enums, `Meta` (the graph version node), is a literal.
"""

from __future__ import annotations

from graph.regions import SEPARATOR
from graph.vocab import Helix, Label, RelType

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

# Rank of each helix code, in Helix order (passed as the `$rank` map parameter).
HELIX_RANK: dict[str, int] = {h.value: i for i, h in enumerate(Helix)}

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


# -- nodes -------------------------------------------------------------------------------------
def exists(label: str) -> str:
    """The node of `label` with id $id, if any."""
    return f"MATCH (n:{label} {{id: $id}}) RETURN n"


# Bulk reads answer in one row holding a list: the driver spends far less per list item than
# per record (about 4x fewer milliseconds for a thousand nodes).
def nodes_by_id(label: str) -> str:
    """The properties of the nodes of `label` whose id is in $ids, as one list `nodes`."""
    return f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) RETURN collect(properties(n)) AS nodes"


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


def attachments(label: str) -> str:
    """Counts of what hangs on the node $id, by what the delete message calls it."""
    if label == INN:
        return f"""
        MATCH (n:{INN} {{id: $id}})
        RETURN COUNT {{ (n)<-[:{COLLAB}]-(:{ACT}) }} AS collaborations,
               COUNT {{ (n)-[:{BUILDS_ON}]-(:{INN}) }} AS builds_on
        """
    return f"""
    MATCH (n:{ACT} {{id: $id}})
    RETURN COUNT {{ (n)-[:{COLLAB}]->(:{INN}) }} AS collaborations,
           COUNT {{ (n)-[:{PARTNER}]-(:{ACT}) }} AS partnerships,
           COUNT {{ (n)-[:{PART_OF}]-(:{ACT}) }} AS part_of,
           COUNT {{ MATCH (i:{INN}) WHERE i.owner_id = $id }} AS `owned innovations`
    """


DISOWN = f"MATCH (i:{INN}) WHERE i.owner_id = $id REMOVE i.owner_id"


def delete_node(label: str) -> str:
    return f"MATCH (n:{label} {{id: $id}}) DETACH DELETE n"


def count_nodes(label: str, where: str) -> str:
    return f"MATCH (n:{label}) {where} RETURN count(n) AS total"


def page_nodes(label: str, where: str) -> str:
    return f"MATCH (n:{label}) {where} RETURN n ORDER BY n.id SKIP $offset LIMIT $limit"


# -- ties --------------------------------------------------------------------------------------
MATCH_COLLAB = f"MATCH (a:{ACT} {{id: $a}})-[c:{COLLAB}]->(i:{INN} {{id: $i}})"
GET_COLLAB = f"{MATCH_COLLAB} RETURN a.id AS actor_id, i.id AS innovation_id, c"
CREATE_COLLAB = f"""
MATCH (a:{ACT} {{id: $a}}), (i:{INN} {{id: $i}})
CREATE (a)-[c:{COLLAB}]->(i)
SET c = $props
"""
UPDATE_COLLAB = f"{MATCH_COLLAB} SET c = $props"
DELETE_COLLAB = f"{MATCH_COLLAB} DELETE c"
_COLLAB_ROW = "RETURN a.id AS actor_id, i.id AS innovation_id, c"


# Every tie to one of $innovation_ids or of one of $actor_ids (UNION: each once), as one list.
TIES_TOUCHING = f"""
CALL () {{
    UNWIND $innovation_ids AS id
    MATCH (a:{ACT})-[c:{COLLAB}]->(i:{INN} {{id: id}})
    RETURN c
    UNION
    UNWIND $actor_ids AS id
    MATCH (a:{ACT} {{id: id}})-[c:{COLLAB}]->(i:{INN})
    RETURN c
}}
WITH startNode(c) AS a, c, endNode(c) AS i
RETURN collect({{actor_id: a.id, innovation_id: i.id, c: properties(c)}}) AS ties
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


def count_collabs(where: str) -> str:
    return f"MATCH (a:{ACT})-[c:{COLLAB}]->(i:{INN}) {where} RETURN count(c) AS total"


def page_collabs(where: str) -> str:
    return (
        f"MATCH (a:{ACT})-[c:{COLLAB}]->(i:{INN}) {where} {_COLLAB_ROW}"
        " ORDER BY actor_id, innovation_id SKIP $offset LIMIT $limit"
    )


MATCH_PAIR = f"MATCH (s:{ACT})-[p:{PARTNER}]->(t:{ACT}) WHERE (s.id = $a AND t.id = $b) OR (s.id = $b AND t.id = $a)"
_PAIR_ROW = "RETURN s.id AS source_id, t.id AS target_id, p"
GET_PAIR = f"{MATCH_PAIR} {_PAIR_ROW}"
CREATE_PAIR = f"""
MATCH (s:{ACT} {{id: $a}}), (t:{ACT} {{id: $b}})
CREATE (s)-[p:{PARTNER}]->(t)
SET p = $props
"""
UPDATE_PAIR = f"{MATCH_PAIR} SET p = $props"
DELETE_PAIR = f"{MATCH_PAIR} DELETE p"


def count_pairs(where: str) -> str:
    return f"MATCH (s:{ACT})-[p:{PARTNER}]->(t:{ACT}) {where} RETURN count(p) AS total"


def page_pairs(where: str) -> str:
    return (
        f"MATCH (s:{ACT})-[p:{PARTNER}]->(t:{ACT}) {where} {_PAIR_ROW}"
        " ORDER BY source_id, target_id SKIP $offset LIMIT $limit"
    )


UPSERT_COLLABS = f"""
UNWIND $rows AS row
MATCH (a:{ACT} {{id: row.actor_id}}), (i:{INN} {{id: row.innovation_id}})
MERGE (a)-[c:{COLLAB}]->(i)
SET c = row.props
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
UPSERT_PART_OF = f"""
UNWIND $rows AS row
MATCH (c:{ACT} {{id: row.child_id}}), (p:{ACT} {{id: row.parent_id}})
MERGE (c)-[:{PART_OF}]->(p)
RETURN count(*) AS written
"""
UPSERT_BUILDS_ON = f"""
UNWIND $rows AS row
MATCH (i:{INN} {{id: row.innovation_id}}), (b:{INN} {{id: row.base_id}})
MERGE (i)-[r:{BUILDS_ON}]->(b)
SET r.kind = row.kind, r.source = row.source
RETURN count(*) AS written
"""

# -- whole graph -------------------------------------------------------------------------------
IS_EMPTY = f"""
RETURN NOT (EXISTS {{ MATCH (:{INN}) }} OR EXISTS {{ MATCH (:{ACT}) }}) AS empty
"""
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
    """One read per record kind, each in snapshot order; scoped ones take $inn and $act."""
    inn = "WHERE n.id IN $inn" if scoped else ""
    act = "WHERE n.id IN $act" if scoped else ""
    return {
        "regions": f"MATCH (n:{REG}) RETURN n ORDER BY n.code",
        "actors": f"MATCH (n:{ACT}) {act} RETURN n ORDER BY n.id",
        "innovations": f"MATCH (n:{INN}) {inn} RETURN n ORDER BY n.id",
        "collaborations": (
            f"MATCH (a:{ACT})-[c:{COLLAB}]->(i:{INN})"
            f" {'WHERE i.id IN $inn' if scoped else ''}"
            f" {_COLLAB_ROW} ORDER BY actor_id, innovation_id"
        ),
        "partnerships": (
            f"MATCH (s:{ACT})-[p:{PARTNER}]->(t:{ACT})"
            f" {'WHERE s.id IN $act AND t.id IN $act' if scoped else ''}"
            f" {_PAIR_ROW} ORDER BY source_id, target_id"
        ),
        "part_of": (
            f"MATCH (c:{ACT})-[:{PART_OF}]->(p:{ACT})"
            f" {'WHERE c.id IN $act AND p.id IN $act' if scoped else ''}"
            " RETURN c.id AS child_id, p.id AS parent_id ORDER BY child_id, parent_id"
        ),
        "builds_on": (
            f"MATCH (i:{INN})-[r:{BUILDS_ON}]->(b:{INN})"
            f" {'WHERE i.id IN $inn AND b.id IN $inn' if scoped else ''}"
            " RETURN i.id AS innovation_id, b.id AS base_id, r.kind AS kind,"
            " coalesce(r.source, 'illustrative') AS source"
            " ORDER BY innovation_id, base_id"
        ),
    }


# -- collaboration queries ---------------------------------------------------------------------
COLLABORATORS = f"""
MATCH (i:{INN} {{id: $id}})
OPTIONAL MATCH (a:{ACT})-[c:{COLLAB}]->(i) WHERE {active("c")} AND {launched("i")}
WITH i, a, c ORDER BY $rank[a.helix], a.id
WITH i, collect(CASE WHEN a IS NULL THEN null ELSE {{
    actor_id: a.id, name: a.name, helix: a.helix, role: c.role, strength: c.strength,
    since: c.since, until: c.until, source: c.source}} END) AS rows
RETURN rows
"""
ACTOR_INNOVATIONS = f"""
MATCH (a:{ACT} {{id: $id}})
OPTIONAL MATCH (a)-[c:{COLLAB}]->(i:{INN}) WHERE {active("c")} AND {launched("i")}
WITH a, i, c ORDER BY i.id
WITH a, collect(CASE WHEN i IS NULL THEN null ELSE {{
    innovation_id: i.id, name: i.name, origin: i.origin, role: c.role, strength: c.strength,
    since: c.since, until: c.until, source: c.source}} END) AS rows
RETURN rows
"""
# For each of $ids: whether the actor exists, its co-collaborators on shared innovations (both
# ties active), its active partnerships, and the innovations it has an active tie to.
PARTNER_TIES = f"""
UNWIND $ids AS id
OPTIONAL MATCH (me:{ACT} {{id: id}})
CALL (me) {{
    OPTIONAL MATCH (me)-[m:{COLLAB}]->(i:{INN})<-[o:{COLLAB}]-(other:{ACT})
    WHERE {active("m")} AND {active("o")}
    WITH other, i, m, o ORDER BY i.id
    WITH other, collect({{id: i.id, mine: m.source, theirs: o.source}}) AS shared
    RETURN collect(CASE WHEN other IS NULL THEN null ELSE {{
        id: other.id, name: other.name, helix: other.helix, shared: shared}} END) AS co
}}
CALL (me) {{
    OPTIONAL MATCH (me)-[p:{PARTNER}]-(q:{ACT}) WHERE {active("p")}
    RETURN collect(CASE WHEN q IS NULL THEN null ELSE {{
        id: q.id, name: q.name, helix: q.helix, kind: p.kind, source: p.source}} END) AS formal
}}
CALL (me) {{
    OPTIONAL MATCH (me)-[m:{COLLAB}]->(i:{INN}) WHERE {active("m")}
    RETURN collect(i.id) AS innovations
}}
RETURN id, me IS NOT NULL AS found, co, formal, innovations
"""


def coverage_gaps(scoped: bool) -> str:
    """Innovations covering fewer than $threshold helix kinds, fewest first, then by id."""
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
