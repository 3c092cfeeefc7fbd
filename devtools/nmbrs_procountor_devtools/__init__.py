"""Developer and demo tools around the plugin: the ``nmbrs-procountor`` command, the demo and its data.

Never installed in production: a host installs ``nmbrs-procountor-plugin`` alone.
"""
