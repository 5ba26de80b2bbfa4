"""`brief preview`: a local server showing briefings as HTML and PDF page images, rebuilt in one
warm process when their inputs change (session.py), watched (watch.py), served with server-sent
events (events.py, server.py)."""
