"""The six scripted checks in order, one per behaviour the product assumes and Procountor does not document.

Order matters: the login page and the refusals need no grant; rotation refreshes the grant the
maintainer supplied; the write checks use the access token that gives; logout comes last because
it may end the grant.
"""

from __future__ import annotations

from nmbrs_procountor_devtools.conformance.grant_checks import (
    check_login_host,
    check_logout,
    check_rotation,
    check_token_error_shape,
)
from nmbrs_procountor_devtools.conformance.http import Probe
from nmbrs_procountor_devtools.conformance.receipt_checks import (
    check_invoice_notes,
    check_pending,
    invalidate,
    read_company,
)
from nmbrs_procountor_devtools.conformance.report import Finding
from nmbrs_procountor_devtools.conformance.run import Credentials, KitError, Plan, Run

__all__ = ["Credentials", "KitError", "Plan", "run_checks"]


def run_checks(probe: Probe, credentials: Credentials, plan: Plan) -> tuple[list[Finding], Run]:
    """Every check in order; each receipt created is invalidated by its check, before logging out."""
    run = Run(probe, credentials, plan)
    run.keep(credentials.client_secret, credentials.refresh_token)
    findings = [check_login_host(run), check_token_error_shape(run), check_rotation(run)]
    read_company(run)
    try:
        findings += [check_invoice_notes(run), check_pending(run)]
    except BaseException:
        for receipt_id in list(run.created):  # a check stopped between its POST and its clean-up
            invalidate(run, receipt_id)
        raise
    findings.append(check_logout(run))
    return findings, run
