// Run by mongosh --nodb. Makes each MongoDB in MONGO_SETS a replica set of its three members, once
// all of them answer. Safe to run again: a set that is already initiated is left alone.
const MEMBERS = 3;
const NOT_YET_INITIALIZED = 94;
const ALREADY_INITIALIZED = 23;
const WAIT_ATTEMPTS = 150;

function adminOf(host) {
  return connect(`mongodb://${host}/admin?directConnection=true&serverSelectionTimeoutMS=2000`);
}

// Every member must answer before rs.initiate, which checks that it can reach them all.
function waitFor(host) {
  for (let attempt = 1; ; attempt++) {
    try {
      adminOf(host).runCommand({ ping: 1 });
      return;
    } catch (err) {
      if (attempt === WAIT_ATTEMPTS) throw new Error(`${host} does not answer: ${err.message}`);
      sleep(2000);
    }
  }
}

function isInitiated(admin) {
  try {
    admin.runCommand({ replSetGetStatus: 1 });
    return true;
  } catch (err) {
    if (err.code === NOT_YET_INITIALIZED) return false;
    throw err;
  }
}

const replicaSet = process.env.REPLICA_SET;
for (const set of process.env.MONGO_SETS.split(/\s+/).filter(Boolean)) {
  // The StatefulSet's pods, through its headless Service of the same name.
  const hosts = Array.from({ length: MEMBERS }, (_, i) => `${set}-${i}.${set}:27017`);
  hosts.forEach(waitFor);
  const admin = adminOf(hosts[0]);
  if (isInitiated(admin)) {
    print(`${set}: already a replica set`);
    continue;
  }
  try {
    admin.runCommand({
      replSetInitiate: { _id: replicaSet, members: hosts.map((host, i) => ({ _id: i, host })) },
    });
    print(`${set}: replica set ${replicaSet} initiated with ${hosts.join(', ')}`);
  } catch (err) {
    if (err.code !== ALREADY_INITIALIZED) throw err;
    print(`${set}: already a replica set`);
  }
}
