#!/usr/bin/env python3
"""Writes the small NWB files of the demo archive (`manage seed-demo --full`).

Reads a JSON list of files on stdin, one object per file:
  {"path": "/abs/out.nwb", "kind": "ecephys" | "ophys" | "behavior", "subject_id": "mouse01",
   "species": "Mus musculus", "sex": "M", "age": "P90D", "session_id": "ses-01",
   "description": "...", "start": "2024-03-05T10:00:00+00:00", "seed": 1}
and writes each one with pynwb, so the files are real NWB 2.x files the dandi CLI
and any NWB reader open. The data are synthetic (seeded random numbers): a few
seconds of a few channels, kept small (tens of kilobytes) so that seeding is quick.
"""

import json
import sys
from datetime import datetime

import numpy as np
from pynwb import NWBHDF5IO, NWBFile
from pynwb.behavior import Position, SpatialSeries
from pynwb.ecephys import ElectricalSeries
from pynwb.file import Subject
from pynwb.ophys import OpticalChannel, TwoPhotonSeries


def base_file(spec: dict) -> NWBFile:
    nwb = NWBFile(
        session_description=spec["description"],
        identifier=f"demo-{spec['subject_id']}-{spec['session_id']}-{spec['seed']}",
        session_start_time=datetime.fromisoformat(spec["start"]),
        session_id=spec["session_id"],
        lab="Demonstration Lab",
        institution="Institute for Demonstration Neuroscience",
        experimenter=["Carberry, Josiah"],
    )
    nwb.subject = Subject(
        subject_id=spec["subject_id"],
        species=spec["species"],
        sex=spec["sex"],
        age=spec["age"],
        description="Synthetic demo subject",
    )
    return nwb


def add_ecephys(nwb: NWBFile, rng: np.random.Generator) -> None:
    device = nwb.create_device(name="probe", description="demo silicon probe", manufacturer="Demo Probes")
    group = nwb.create_electrode_group(name="shank0", description="shank 0", location="CA1", device=device)
    for i in range(4):
        nwb.add_electrode(group=group, location="CA1", x=0.0, y=float(i * 20), z=0.0)
    region = nwb.create_electrode_table_region(region=list(range(4)), description="all electrodes")
    rate = 1000.0
    data = (rng.standard_normal((2000, 4)) * 50).astype(np.int16)
    nwb.add_acquisition(
        ElectricalSeries(name="ElectricalSeries", data=data, electrodes=region, rate=rate, conversion=1e-6)
    )
    for _ in range(3):
        nwb.add_unit(spike_times=np.sort(rng.uniform(0, 2.0, size=int(rng.integers(10, 40)))))


def add_ophys(nwb: NWBFile, rng: np.random.Generator) -> None:
    device = nwb.create_device(name="microscope", description="demo two-photon microscope")
    channel = OpticalChannel(name="green", description="GCaMP6s", emission_lambda=510.0)
    plane = nwb.create_imaging_plane(
        name="plane0",
        optical_channel=channel,
        description="layer 2/3",
        device=device,
        excitation_lambda=920.0,
        imaging_rate=10.0,
        indicator="GCaMP6s",
        location="V1",
    )
    frames = rng.integers(0, 255, size=(20, 24, 24), dtype=np.uint8)
    nwb.add_acquisition(
        TwoPhotonSeries(name="TwoPhotonSeries", data=frames, imaging_plane=plane, rate=10.0, unit="n.a.")
    )


def add_behavior(nwb: NWBFile, rng: np.random.Generator) -> None:
    position = Position(name="Position")
    track = np.cumsum(rng.standard_normal((500, 2)), axis=0)
    position.add_spatial_series(
        SpatialSeries(name="position", data=track, reference_frame="track start", rate=50.0, unit="cm")
    )
    module = nwb.create_processing_module(name="behavior", description="tracked position")
    module.add(position)


KINDS = {"ecephys": add_ecephys, "ophys": add_ophys, "behavior": add_behavior}


def main() -> int:
    specs = json.load(sys.stdin)
    for spec in specs:
        rng = np.random.default_rng(spec["seed"])
        nwb = base_file(spec)
        KINDS[spec["kind"]](nwb, rng)
        if spec["kind"] != "behavior":
            add_behavior(nwb, rng)
        with NWBHDF5IO(spec["path"], "w") as io:
            io.write(nwb)
        print(spec["path"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
