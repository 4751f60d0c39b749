"""Masking personal data for public pages: "Nguyễn Văn An" → "N***** V** A*"."""

from __future__ import annotations


def mask_name(full_name: str) -> str:
    """Keep each word's first letter, replace the rest by one star per letter.

    API.md shows ``"N*** V** A"``: the initials stay readable for the applicant to recognise their
    dossier, the name cannot be read back by a stranger.
    """
    return " ".join(word[0] + "*" * (len(word) - 1) for word in full_name.split())
