"""A one-node SLURM cluster with accounting on localhost, from Debian's packages, for tests.

Started as root without systemd: munged, mariadbd, slurmdbd, slurmctld and slurmd run in the
foreground as our children, so stopping them is killing known PIDs. The config has to be
/etc/slurm/slurm.conf (SLURM_CONF is stripped inside jobs), so we refuse to touch one we did
not write. The node advertises one GPU without a device file: jobs can be allocated it, and
sacct records it, but CUDA sees none, so training falls back to the CPU.
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

CONF_DIR = Path("/etc/slurm")
CONF_FILES = ("slurm.conf", "slurmdbd.conf", "gres.conf")
MARKER = "# written by scaleinv's tests"
DAEMONS = ("munged", "mariadbd", "slurmdbd", "slurmctld", "slurmd")
PARTITION = "debug"
ACCOUNT = "scaleinv"
CLUSTER = "scaleinv-test"
DB_PASSWORD = "scaleinv-test"


def skip_reason():
    """Why no test cluster may be started here (None when one may)."""
    if os.geteuid() != 0:
        return "starting SLURM daemons needs root"
    conf = CONF_DIR / "slurm.conf"
    if conf.exists() and MARKER not in conf.read_text():
        return f"{conf} belongs to a real cluster; not overwriting it"
    return None


def missing_daemons():
    return [d for d in DAEMONS if not shutil.which(d, path="/usr/sbin:/usr/bin")]


class Cluster:
    """Start with `start()`, stop with `stop()`; `state` holds spool, logs and sockets."""

    def __init__(self, state):
        self.state = Path(state)
        self.processes = {}

    def start(self):
        self.state.mkdir(parents=True, exist_ok=True)
        self._start_munge()
        self._start_mariadb()
        self._write_slurm_conf()
        self._start("slurmdbd", ["slurmdbd", "-D"])
        self._wait_for(lambda: self._ok(["sacctmgr", "-n", "list", "cluster"]), "slurmdbd")
        # check=False: on a second start these already exist, which sacctmgr reports as failure.
        self._run(["sacctmgr", "-i", "add", "cluster", CLUSTER], check=False)
        self._run(["sacctmgr", "-i", "add", "account", ACCOUNT], check=False)
        self._run(["sacctmgr", "-i", "add", "user", "root", f"account={ACCOUNT}"], check=False)
        self._start("slurmctld", ["slurmctld", "-D", "-i"])
        self._start("slurmd", ["slurmd", "-D"])
        self._wait_for(self._node_idle, "slurmd to register an idle node")
        return self

    def stop(self):
        """Stop the daemons and remove our configs: with a slurm.conf whose controller is
        gone, every `scontrol` (which the SLURM plugin runs as Snakemake starts) waits 10 s."""
        for name in reversed(list(self.processes)):
            process = self.processes.pop(name)
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for name in CONF_FILES:
            (CONF_DIR / name).unlink(missing_ok=True)

    def log(self, name):
        path = self.state / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _start_munge(self):
        run_dir = Path("/run/munge")
        run_dir.mkdir(exist_ok=True)
        shutil.chown(run_dir, "munge", "munge")
        self._start("munged", ["munged", "--foreground"], user="munge")
        self._wait_for(lambda: self._ok(["munge", "-n"]), "munged")

    def _start_mariadb(self):
        run_dir = Path("/run/mysqld")
        run_dir.mkdir(exist_ok=True)
        shutil.chown(run_dir, "mysql", "mysql")
        self._start("mariadbd", ["mariadbd", "--user=mysql", "--skip-networking"])
        self._wait_for(lambda: self._ok(["mariadb", "-e", "select 1"]), "mariadbd")
        self._run(
            [
                "mariadb",
                "-e",
                f"CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '{DB_PASSWORD}';"
                "GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';",
            ]
        )

    def _write_slurm_conf(self):
        spool = self.state / "spool"
        for sub in ("ctld", "d"):
            (spool / sub).mkdir(parents=True, exist_ok=True)
        node = self._node_line()
        common = f"{MARKER}\n"
        dbd = CONF_DIR / "slurmdbd.conf"
        dbd.write_text(
            common
            + "AuthType=auth/munge\nDbdHost=localhost\nSlurmUser=root\n"
            + f"LogFile={self.state / 'slurmdbd.log'}\nPidFile={self.state / 'slurmdbd.pid'}\n"
            + "StorageType=accounting_storage/mysql\nStorageHost=localhost\n"
            + f"StorageUser=slurm\nStoragePass={DB_PASSWORD}\nStorageLoc=slurm_acct_db\n"
        )
        dbd.chmod(0o600)
        (CONF_DIR / "gres.conf").write_text(common + "Name=gpu File=/dev/null\n")
        (CONF_DIR / "slurm.conf").write_text(
            common
            + f"ClusterName={CLUSTER}\nSlurmctldHost={node['NodeName']}(127.0.0.1)\n"
            + "SlurmUser=root\nAuthType=auth/munge\nMpiDefault=none\n"
            + "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n"
            + "SelectType=select/cons_tres\nSelectTypeParameters=CR_Core_Memory\n"
            + "SchedulerType=sched/backfill\nReturnToService=2\nGresTypes=gpu\n"
            + "AccountingStorageType=accounting_storage/slurmdbd\nAccountingStorageHost=localhost\n"
            + "AccountingStorageTRES=gres/gpu\nJobAcctGatherType=jobacct_gather/linux\n"
            + "JobCompType=jobcomp/none\n"
            + f"StateSaveLocation={spool / 'ctld'}\nSlurmdSpoolDir={spool / 'd'}\n"
            + f"SlurmctldPidFile={self.state / 'slurmctld.pid'}\n"
            + f"SlurmdPidFile={self.state / 'slurmd.pid'}\n"
            + f"SlurmctldLogFile={self.state / 'slurmctld.log'}\n"
            + f"SlurmdLogFile={self.state / 'slurmd.log'}\n"
            + f"DefMemPerCPU={node['RealMemory'] // (2 * int(node['CPUs']))}\n"
            + " ".join(f"{key}={value}" for key, value in node.items())
            + " NodeAddr=127.0.0.1 Gres=gpu:1 State=UNKNOWN\n"
            + f"PartitionName={PARTITION} Nodes=ALL Default=YES MaxTime=INFINITE State=UP\n"
        )

    @staticmethod
    def _node_line():
        """This machine as `slurmd -C` sees it, named `hostname -s`, with memory to spare."""
        first = subprocess.run(["slurmd", "-C"], capture_output=True, text=True, check=True)
        fields = dict(item.split("=", 1) for item in first.stdout.splitlines()[0].split())
        fields["NodeName"] = socket.gethostname().split(".")[0]
        fields["RealMemory"] = int(fields["RealMemory"]) * 9 // 10
        return fields

    def _node_idle(self):
        result = self._run(["sinfo", "-h", "-o", "%t"], check=False)
        return result.returncode == 0 and result.stdout.strip() == "idle"

    def _start(self, name, command, user=None):
        with open(self.state / f"{name}.out", "w") as log:
            self.processes[name] = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, user=user, group=user
            )

    def _wait_for(self, ready, what, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dead = [n for n, p in self.processes.items() if p.poll() is not None]
            if dead:
                raise RuntimeError(f"{dead[0]} exited while waiting for {what}")
            if ready():
                return
            time.sleep(0.5)
        raise RuntimeError(f"timed out after {timeout} s waiting for {what}")

    @staticmethod
    def _run(command, check=True):
        return subprocess.run(command, capture_output=True, text=True, check=check)

    def _ok(self, command):
        return self._run(command, check=False).returncode == 0
