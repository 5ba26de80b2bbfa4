"""Making a project's files: `brief init` (a whole project), `brief new` (a briefing or a
source) and `brief template copy` (a built-in template to edit). Every file made here passes
`brief check` as written, and nothing that exists is ever written over.

The files shipped with the package for these commands are in `data/`.
"""
