"""The words outcome extraction knows: scripts, alphabets, outcome verbs, heading words.

English outcome verbs and function words decide where run-together text breaks and which short
fragments are outcomes; Georgian and Armenian bring their scripts, list alphabets and headings.
"""

from __future__ import annotations

GEORGIAN = "\u10d0-\u10ff\u1c90-\u1cbf"  # Mkhedruli and Mtavruli
ARMENIAN = "\u0531-\u0556\u0561-\u0587"
LETTERS = f"A-Za-z{GEORGIAN}{ARMENIAN}"
GEORGIAN_ALPHABET = "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ"
ARMENIAN_ALPHABET = "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ"


def _words(text: str) -> tuple[str, ...]:
    """Return the words of a space-separated word list."""
    return tuple(text.split())


# Verbs that open learning outcomes. A capitalised one glued to, or following, a lower-case
# word marks a lost boundary ("useRead in", "portfolios Implement robust estimates").
# Product names that are also verbs (Excel, Spark, Access, Build, Go) are left out on purpose.
VERBS = _words(
    "Acquire Analyse Analyze Apply Appraise Appreciate Argue Articulate Assess Become Calculate "
    "Carry Choose Classify Code Collaborate Communicate Compare Compute Conduct Configure "
    "Construct Contrast Create Critically Critique Debug Deduce Define Demonstrate Deploy "
    "Derive Describe Design Determine Develop Differentiate Discover Discuss Distinguish Employ "
    "Enumerate Estimate Evaluate Examine Explain Explore Fit Formulate Gain Identify Illustrate "
    "Implement Install Integrate Interpret Investigate Justify Know Learn List Maintain Manage "
    "Master Name Normalise Normalize Operate Outline Perform Plan Predict Prepare Present "
    "Produce Propose Read Recall Recognise Recognize Reflect Relate Review Select Solve "
    "Summarise Summarize Synthesise Synthesize Troubleshoot Understand Use Utilise Utilize "
    "Validate Verify Visualise Visualize Write"
)
VERB_ALT = "|".join(VERBS)
# Glued to a lower-case word ("outliersComplete a project") these are boundaries too, but
# after a space they are as often names ("Google Cloud Build", "Microsoft Access").
GLUED_VERBS = _words(
    "Access Add Advance Arrange Automate Bring Build Collect Complete Connect Convert Customize "
    "Deliver Detect Draw Engage Enhance Establish Export Extend Import Improve Inspect Interact "
    "Leverage Manipulate Measure Modify Monitor Navigate Optimise Optimize Practice Put Record "
    "Set Setup Test Track Train Transform"
)
GLUED_VERB_ALT = "|".join(VERBS + GLUED_VERBS)
# A fragment of two words is an outcome when it opens with one of these ("Debug code").
OUTCOME_VERBS = frozenset(
    verb.lower() for verb in VERBS + GLUED_VERBS + _words("Map Model Process Query Report")
)
# Words after which a capitalised verb is an object or title, not a new outcome ("the Build").
FUNCTION_WORDS = frozenset(
    _words(
        "a an the of in on for with to and or nor using via by from your our their its this "
        "these that those into as at than how what which who about"
    )
)
HEADING_WORDS = frozenset(
    _words(
        "knowledge understanding skills skill attitudes values competences competencies "
        "abilities and & of key general generic subject specific subject-specific cognitive "
        "practical transferable intellectual professional personal intended learning outcomes "
        "outcome aims aim objectives objective"
    )
)
ROMANS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
HEADING_WORDS_GEORGIAN_ARMENIAN = frozenset(
    _words(
        "სწავლის სწავლების შედეგები შედეგი ცოდნა გაცნობიერება უნარი უნარები და "
        "პასუხისმგებლობა ავტონომიურობა ღირებულებები კომპეტენციები "
        "կրթական ուսումնառության ուսման վերջնարդյունքներ արդյունքներ արդյունքները գիտելիք "
        "գիտելիքներ ըմբռնում և հմտություններ կարողություններ կոմպետենցիաներ"
    )
)
