"""Outcome extraction in Georgian and Armenian, on texts written for these tests.

They imitate how Georgian and Armenian universities publish syllabi: a preamble, numbered or
lettered lists in their own alphabets, national punctuation, and the NQF headings.
"""

from __future__ import annotations

import pytest

from recognition_engine.domain import DescribedItem
from recognition_engine.ingestion.outcomes import outcomes_of, split_outcomes

NETWORKS_KA = [
    "ლოკალური ქსელის დაპროექტება და კონფიგურირება",
    "მარშრუტიზაციის პროტოკოლების (OSPF, RIP) გამართვა",
    "ქსელური პრობლემების დიაგნოსტიკა და აღმოფხვრა",
]
NETWORKS_HY = [
    "Նկարագրել համակարգչային ցանցերի կառուցվածքը",
    "Կազմաձևել երթուղիչներ և կոմուտատորներ",
    "Վերլուծել ցանցային խնդիրները և առաջարկել լուծումներ",
]
# The same three outcomes as Georgian syllabi publish them: numbered, bulleted, lettered.
GEORGIAN_LISTS = [
    "კურსის დასრულების შემდეგ სტუდენტს შეეძლება: 1. ლოკალური ქსელის დაპროექტება და "
    "კონფიგურირება; 2. მარშრუტიზაციის პროტოკოლების (OSPF, RIP) გამართვა; 3. ქსელური "
    "პრობლემების დიაგნოსტიკა და აღმოფხვრა.",
    # numbered without spaces, as copied from a PDF
    "კურსის დასრულების შემდეგ სტუდენტს შეეძლება:1.ლოკალური ქსელის დაპროექტება და "
    "კონფიგურირება;2.მარშრუტიზაციის პროტოკოლების (OSPF, RIP) გამართვა;3.ქსელური "
    "პრობლემების დიაგნოსტიკა და აღმოფხვრა.",
    # another wording of the preamble, and bullets on their own lines
    "კურსის წარმატებით დასრულების შემდეგ სტუდენტი შეძლებს:\n• ლოკალური ქსელის "
    "დაპროექტება და კონფიგურირება;\n• მარშრუტიზაციის პროტოკოლების (OSPF, RIP) გამართვა;\n"
    "• ქსელური პრობლემების დიაგნოსტიკა და აღმოფხვრა.",
    # lettered in the Georgian alphabet, dashes
    "სწავლის შედეგები:\nა) ლოკალური ქსელის დაპროექტება და კონფიგურირება,\nბ) "
    "მარშრუტიზაციის პროტოკოლების (OSPF, RIP) გამართვა,\nგ) ქსელური პრობლემების "
    "დიაგნოსტიკა და აღმოფხვრა.",
    "სტუდენტმა უნდა შეძლოს\n– ლოკალური ქსელის დაპროექტება და კონფიგურირება\n– "
    "მარშრუტიზაციის პროტოკოლების (OSPF, RIP) გამართვა\n– ქსელური პრობლემების "
    "დიაგნოსტიკა და აღმოფხვრა",
]
# The same three outcomes as Armenian syllabi publish them.
ARMENIAN_LISTS = [
    "Դասընթացի ավարտին ուսանողը կկարողանա՝\n1) նկարագրել համակարգչային ցանցերի "
    "կառուցվածքը,\n2) կազմաձևել երթուղիչներ և կոմուտատորներ,\n3) վերլուծել ցանցային "
    "խնդիրները և առաջարկել լուծումներ։",
    # sentences ending with the Armenian full stop, one of them glued to the next
    "Դասընթացը հաջողությամբ ավարտելուց հետո ուսանողները կկարողանան. Նկարագրել "
    "համակարգչային ցանցերի կառուցվածքը։Կազմաձևել երթուղիչներ և կոմուտատորներ։ Վերլուծել "
    "ցանցային խնդիրները և առաջարկել լուծումներ։",
    # lettered in the Armenian alphabet, after "must be able"
    "Ուսանողը պետք է կարողանա՝ ա) նկարագրել համակարգչային ցանցերի կառուցվածքը, բ) "
    "կազմաձևել երթուղիչներ և կոմուտատորներ, գ) վերլուծել ցանցային խնդիրները և առաջարկել "
    "լուծումներ։",
    "Կրթական վերջնարդյունքներ՝\n- Նկարագրել համակարգչային ցանցերի կառուցվածքը\n- "
    "Կազմաձևել երթուղիչներ և կոմուտատորներ\n- Վերլուծել ցանցային խնդիրները և առաջարկել "
    "լուծումներ",
]


@pytest.mark.parametrize(
    ("text", "outcomes"),
    [
        *[(text, NETWORKS_KA) for text in GEORGIAN_LISTS],
        *[(text, NETWORKS_HY) for text in ARMENIAN_LISTS],
    ],
)
def test_georgian_and_armenian_lists_and_preambles(text: str, outcomes: list[str]) -> None:
    assert split_outcomes([text]) == outcomes


def test_georgian_is_never_capitalised_nor_glued_as_a_continuation() -> None:
    # Georgian letters are lower case to Unicode: a naive capitaliser writes Mtavruli.
    outcomes = split_outcomes(
        ["მონაცემთა ბაზის დაპროექტება. SQL მოთხოვნების წერა. ტრანზაქციების მართვა."]
    )
    assert outcomes == [
        "მონაცემთა ბაზის დაპროექტება",
        "SQL მოთხოვნების წერა",
        "ტრანზაქციების მართვა",
    ]


def test_abbreviations_do_not_end_a_georgian_sentence() -> None:
    text = "ვებ-აპლიკაციების შექმნა თანამედროვე ფრეიმვორკებით, მაგ. Django და Flask."
    assert split_outcomes([text]) == [
        "ვებ-აპლიკაციების შექმნა თანამედროვე ფრეიმვორკებით, მაგ. Django და Flask"
    ]


def test_the_armenian_letter_ev_is_kept() -> None:
    # NFKC would write "և" as "եւ": the evidence must show the text as published.
    assert split_outcomes(["Կազմաձևել երթուղիչներ և կոմուտատորներ։"]) == [
        "Կազմաձևել երթուղիչներ և կոմուտատորներ"
    ]


def test_national_quotation_marks() -> None:
    assert split_outcomes(["„Cisco Packet Tracer“-ში ქსელის მოდელირება."]) == [
        "„Cisco Packet Tracer“-ში ქსელის მოდელირება"
    ]
    # a quotation mark left unmatched by splitting is dropped, a matched one is kept
    assert split_outcomes(["„ქსელის მოდელირება; სიმულაციის ანალიზი“"]) == [
        "ქსელის მოდელირება",
        "სიმულაციის ანალიზი",
    ]
    assert split_outcomes(["Մոդելավորել ցանցը «Packet Tracer» ծրագրով։"]) == [
        "Մոդելավորել ցանցը «Packet Tracer» ծրագրով"
    ]


def test_georgian_nqf_headings_are_not_outcomes() -> None:
    text = (
        "ცოდნა და გაცნობიერება:\n1. ოპერაციული სისტემების არქიტექტურის აღწერა.\n"
        "უნარები:\n2. პროცესების დაგეგმვის ალგორითმების შედარება.\n"
        "პასუხისმგებლობა და ავტონომიურობა:\n3. გუნდში მუშაობა და საკუთარი სწავლის დაგეგმვა."
    )
    assert split_outcomes([text]) == [
        "ოპერაციული სისტემების არქიტექტურის აღწერა",
        "პროცესების დაგეგმვის ალგორითმების შედარება",
        "გუნდში მუშაობა და საკუთარი სწავლის დაგეგმვა",
    ]


def test_two_word_outcomes_count_in_georgian_and_armenian() -> None:
    assert split_outcomes(["1. ქსელის კონფიგურირება; 2. მარშრუტიზაციის გამართვა"]) == [
        "ქსელის კონფიგურირება",
        "მარშრუტიზაციის გამართვა",
    ]


def test_a_description_only_item_in_armenian() -> None:
    item = DescribedItem(
        title="Տվյալների բազաներ",
        description="Դասընթացն ուսումնասիրում է հարաբերական տվյալների բազաները։ Ուսանողները "
        "նախագծում են սխեմաներ և գրում SQL հարցումներ։",
    )
    assert outcomes_of(item) == [
        "Դասընթացն ուսումնասիրում է հարաբերական տվյալների բազաները",
        "Ուսանողները նախագծում են սխեմաներ և գրում SQL հարցումներ",
    ]
