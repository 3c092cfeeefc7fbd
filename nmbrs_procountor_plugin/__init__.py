"""Procountor accounting integration for an Nmbrs-style payroll host.

The host loads :mod:`nmbrs_procountor_plugin.plugin` from the ``nmbrs.plugins`` entry point;
importing this package has no side effects.
"""

__version__ = "0.1.0"
