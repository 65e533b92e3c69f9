"""Label normalisation: spelling variants of one name share a key."""

from __future__ import annotations

import pytest

from shared.geo import fold, label_key, name_key, normalize_text


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Saint-Étienne", "ST ETIENNE"),
        ("Sainte-Maxime", "Ste Maxime"),
        ("Le Puy-Sainte-Réparade", "PUY STE REPARADE"),
        ("Les Mureaux", "MUREAUX"),
        ("L'Haÿ-les-Roses", "L HAY LES ROSES"),
        ("Villeneuve-d'Ascq", "VILLENEUVE D ASCQ"),
        ("Œuilly", "OEUILLY"),
        ("Clermont-Ferrand", "clermont  ferrand"),
        ("Saint-Denis", "Saint\u2011Denis"),
    ],
)
def test_name_key_equal_for_variants(first: str, second: str) -> None:
    assert name_key(first) == name_key(second)


def test_fold_removes_accents_and_ligatures() -> None:
    assert fold("Cœur Æther Évry") == "coeur aether evry"


def test_name_key_keeps_single_word_article() -> None:
    assert name_key("La") == "la"


def test_normalize_text_keeps_leading_article() -> None:
    assert normalize_text("La Vergne") == "la vergne"


def test_label_key_keeps_department_code() -> None:
    assert label_key("Saint-Denis - 974") != label_key("Saint-Denis")


def test_label_key_length_capped() -> None:
    assert len(label_key("x" * 500)) == 200


def test_label_key_of_punctuation_is_empty() -> None:
    assert label_key(" - ") == ""
