"""``spyscan serve``: the helpline workbench, a local web app over the same library calls as the CLI.

Cases and triage live in the case store (``spyscan.cases``); checks run ``spyscan.engine.check`` in a
process of their own (``runner``); results are the report of ``spyscan.report.html``. Nothing here
decides a verdict or reads evidence itself. See docs/web.md.
"""
