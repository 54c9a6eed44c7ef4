"""Writers of the run outputs: run.json, detections.json, CSV timelines, the HTML/PDF report."""
