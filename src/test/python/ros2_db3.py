#!/usr/bin/env python3
"""Writes a ROS 2 bag in SQLite (the .db3 storage of Humble and before) with Python's sqlite3.

The tables are those rosbag2_storage_default_plugins creates (schema, topics with their QoS
profiles, messages with their timestamp index); the bag folder also gets the metadata.yaml that
`ros2 bag record` writes (version 5). The messages come as JSON lines {topic, type, time, data:
base64 CDR}, serialised by an independent library (npm @foxglove/rosmsg2-serialization).

usage: ros2_db3.py <messages.jsonl> <bag folder> [messages per file]
"""
import base64
import json
import os
import sqlite3
import sys

src, folder = sys.argv[1], sys.argv[2]
per_file = int(sys.argv[3]) if len(sys.argv) > 3 else 0
messages = [json.loads(line) for line in open(src) if line.strip()]
os.makedirs(folder, exist_ok=True)
name = os.path.basename(os.path.normpath(folder))
parts = [messages] if per_file <= 0 else [messages[i:i + per_file] for i in range(0, len(messages), per_file)]

files = []
for index, part in enumerate(parts):
    file = f"{name}_{index}.db3"
    db = sqlite3.connect(os.path.join(folder, file))
    db.executescript("""
        CREATE TABLE schema(schema_version INTEGER PRIMARY KEY, ros_distro TEXT NOT NULL);
        INSERT INTO schema VALUES (3, 'humble');
        CREATE TABLE topics(id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL,
            serialization_format TEXT NOT NULL, offered_qos_profiles TEXT NOT NULL);
        CREATE TABLE messages(id INTEGER PRIMARY KEY, topic_id INTEGER NOT NULL,
            timestamp INTEGER NOT NULL, data BLOB NOT NULL);
        CREATE INDEX timestamp_idx ON messages (timestamp ASC);
    """)
    ids = {}
    for m in part:
        if m["topic"] not in ids:
            ids[m["topic"]] = len(ids) + 1
            db.execute("INSERT INTO topics VALUES (?, ?, ?, 'cdr', '')", (ids[m["topic"]], m["topic"], m["type"]))
        db.execute("INSERT INTO messages (topic_id, timestamp, data) VALUES (?, ?, ?)",
                   (ids[m["topic"]], int(m["time"]), base64.b64decode(m["data"])))
    db.commit()
    db.close()
    times = [int(m["time"]) for m in part]
    files.append((file, min(times), max(times) - min(times), len(part)))

counts = {}
types = {}
for m in messages:
    counts[m["topic"]] = counts.get(m["topic"], 0) + 1
    types[m["topic"]] = m["type"]
times = [int(m["time"]) for m in messages]
lines = ["rosbag2_bagfile_information:", "  version: 5", "  storage_identifier: sqlite3",
         "  duration:", f"    nanoseconds: {max(times) - min(times)}",
         "  starting_time:", f"    nanoseconds_since_epoch: {min(times)}",
         f"  message_count: {len(messages)}", "  topics_with_message_count:"]
for topic, n in counts.items():
    lines += ["    - topic_metadata:", f"        name: {topic}", f"        type: {types[topic]}",
              "        serialization_format: cdr", '        offered_qos_profiles: ""',
              f"      message_count: {n}"]
lines += ['  compression_format: ""', '  compression_mode: ""', "  relative_file_paths:"]
lines += [f"    - {f[0]}" for f in files]
lines += ["  files:"]
for f in files:
    lines += [f"    - path: {f[0]}", "      starting_time:", f"        nanoseconds_since_epoch: {f[1]}",
              "      duration:", f"        nanoseconds: {f[2]}", f"      message_count: {f[3]}"]
with open(os.path.join(folder, "metadata.yaml"), "w") as out:
    out.write("\n".join(lines) + "\n")
print(json.dumps({"files": [f[0] for f in files], "messages": len(messages)}))
