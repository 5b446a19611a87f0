"""``/mentoring apply``: the application form, in three short steps.

Forms hold at most five fields on every platform, so an application is three forms:
about you (role, e-mail, region, interests, goals), eligibility (capacity, membership,
age), and optional private answers (gender, race/ethnicity, "same ..." preferences,
interest in BIPOC membership funding). Each step saves what is there so far, so a
member who stops half way loses nothing. Private answers are confirmed as saved,
never repeated back, and only staff see them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from bot.actions import ActionRef, Button, ButtonStyle, FieldErrors, FieldKind, Form, FormField
from bot.commands.registry import CommandContext
from bot.errors import UserError
from bot.mentoring.import_csv import ApplicationInput
from bot.mentoring.models import (
    MAX_CAPACITY,
    MIN_CAPACITY,
    Adult,
    PrivateAnswers,
    Role,
    normalise_interests,
)
from bot.replies import CommandSpan, MessageBuilder, Reply

log = logging.getLogger(__name__)

ROLES = tuple(role.value for role in Role)
YES_NO = ("yes", "no")
ADULT_CHOICES = tuple(adult.value for adult in Adult)
CAPACITIES = tuple(str(n) for n in range(MIN_CAPACITY, MAX_CAPACITY + 1))
STEPS = ("1", "2", "3")
PREFERENCE_WORDS = {
    "region": "prefer_same_region",
    "gender": "prefer_same_gender",
    "race": "prefer_same_race_ethnicity",
    "ethnicity": "prefer_same_race_ethnicity",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LIMITS = {"region": 100, "goals": 4000, "interests": 500, "email": 254}


def about_form(cohort_id: int, cohort: str, current: ApplicationInput | None) -> Form:
    return Form(
        title="Mentoring: about you",
        ref=ActionRef("mentoring", "apply-about", (str(cohort_id),)),
        submit_label="Next",
        fields=(
            FormField(
                "role",
                "Mentor, mentee or both?",
                FieldKind.CHOICE,
                choices=ROLES,
                initial=current.role.value if current else None,
                hint=f"Applying to the {cohort} cohort",
            ),
            FormField(
                "email",
                "Your e-mail address",
                FieldKind.TEXT,
                max_length=_LIMITS["email"],
                initial=current.email if current else None,
            ),
            FormField(
                "region",
                "Your region",
                FieldKind.TEXT,
                required=False,
                max_length=_LIMITS["region"],
                initial=current.region if current else None,
                placeholder="Midwest",
            ),
            FormField(
                "interests",
                "Areas to work on (separate with ;)",
                FieldKind.TEXT,
                required=False,
                max_length=_LIMITS["interests"],
                initial="; ".join(current.interests) if current else None,
                placeholder="storytime; supervision; resume review",
            ),
            FormField(
                "goals",
                "Your goals for the year",
                FieldKind.LONG_TEXT,
                required=False,
                max_length=_LIMITS["goals"],
                initial=current.goals if current else None,
            ),
        ),
    )


def eligibility_form(cohort_id: int, current: ApplicationInput | None) -> Form:
    return Form(
        title="Mentoring: eligibility",
        ref=ActionRef("mentoring", "apply-eligibility", (str(cohort_id),)),
        submit_label="Save application",
        fields=(
            FormField(
                "capacity",
                "Mentors: how many mentees (1-3)?",
                FieldKind.CHOICE,
                required=False,
                choices=CAPACITIES,
                initial=str(current.capacity) if current and current.capacity else None,
            ),
            FormField(
                "member",
                "Are you a member of the association?",
                FieldKind.CHOICE,
                required=False,
                choices=YES_NO,
                initial=("yes" if current.is_member else "no") if current else None,
                hint="Mentors must be members",
            ),
            FormField(
                "adult",
                "Are you 18 or over?",
                FieldKind.CHOICE,
                required=False,
                choices=ADULT_CHOICES,
                initial=current.adult.value if current else None,
                hint="Mentees under 18: guardian, with a parent's or guardian's permission",
            ),
        ),
    )


def private_form(cohort_id: int) -> Form:
    """Optional answers only staff see (never prefilled: a form may be shown again)."""
    return Form(
        title="Mentoring: private",
        ref=ActionRef("mentoring", "apply-private", (str(cohort_id),)),
        submit_label="Save privately",
        fields=(
            FormField("gender", "Gender", FieldKind.TEXT, required=False, max_length=100),
            FormField(
                "race_ethnicity",
                "Race/ethnicity",
                FieldKind.TEXT,
                required=False,
                max_length=200,
            ),
            FormField(
                "prefer_same",
                "Prefer a match of the same...",
                FieldKind.TEXT,
                required=False,
                max_length=80,
                placeholder="region, gender, race/ethnicity",
                hint="Any of region, gender, race/ethnicity; empty for no preference",
            ),
            FormField(
                "bipoc_funding",
                "Interested in BIPOC membership funding?",
                FieldKind.CHOICE,
                required=False,
                choices=YES_NO,
            ),
        ),
    )


def step_button(label: str, cohort_id: int, step: str) -> Button:
    return Button(
        label, ActionRef("mentoring", "apply-form", (str(cohort_id), step)), ButtonStyle.PRIMARY
    )


async def open_step(ctx: CommandContext) -> Reply:
    """A Continue / Add private answers button: open that step's form."""
    cohort_id, step = _cohort_id(ctx), ctx.args.text("step")
    chat = ctx.services.mentoring
    cohort = await chat.cohort_by_id(cohort_id)
    current = await _current(ctx, cohort.name)
    form = {
        "1": lambda: about_form(cohort_id, cohort.name, current),
        "2": lambda: eligibility_form(cohort_id, current),
        "3": lambda: private_form(cohort_id),
    }[step]()
    return Reply(MessageBuilder().paragraph(f"Your {cohort.name} application.").build(), form=form)


async def apply(ctx: CommandContext) -> Reply:
    """``/mentoring apply [COHORT]``: open the first form."""
    cohort = await ctx.services.mentoring.open_cohort_for_applying(ctx.args.text("cohort") or None)
    current = await _current(ctx, cohort.name)
    message = MessageBuilder().paragraph(
        f"Applying to the {cohort.name} mentoring cohort: three short forms. "
        "Where forms cannot open, press Start."
    )
    return Reply(
        message.build(),
        form=about_form(cohort.id, cohort.name, current),
        actions=(step_button("Start", cohort.id, "1"),),
    )


async def submit_about(ctx: CommandContext) -> Reply:
    """Step 1 submitted: save it (keeping any eligibility and private answers given)."""
    chat = ctx.services.mentoring
    cohort = await chat.cohort_by_id(_cohort_id(ctx))
    current = await _current(ctx, cohort.name)
    email = ctx.args.text("email").strip().lower()
    errors: dict[str, str] = {}
    if not _EMAIL.fullmatch(email):
        errors["email"] = "Please give an e-mail address like name@example.org."
    elif current is not None and current.email != email:
        errors["email"] = (
            f"Your application uses {current.email}. To use another address, "
            "withdraw it and apply again."
        )
    if errors:
        raise FieldErrors(errors)
    interests = normalise_interests(re.split(r"[;,]", ctx.args.text("interests")))
    application = ApplicationInput(
        email=email,
        name=(ctx.request.sender.name or email)[:200],
        role=Role(ctx.args.text("role")),
        is_member=current.is_member if current else False,
        adult=current.adult if current else Adult.YES,
        region=" ".join(ctx.args.text("region").split()),
        interests=interests,
        goals=ctx.args.text("goals").strip(),
        capacity=current.capacity if current else None,
        private=current.private if current else None,
    )
    await _save(ctx, cohort.name, application)
    return Reply(
        MessageBuilder().paragraph("Saved. Next: eligibility (one more short form).").build(),
        form=eligibility_form(cohort.id, current),  # prefilled only when editing
        actions=(step_button("Continue", cohort.id, "2"),),
    )


async def submit_eligibility(ctx: CommandContext) -> Reply:
    """Step 2 submitted: capacity, membership, age; checked against the role."""
    chat = ctx.services.mentoring
    cohort = await chat.cohort_by_id(_cohort_id(ctx))
    current = await _current(ctx, cohort.name)
    if current is None:
        raise UserError("Start with the first form: /mentoring apply.")
    capacity_text, member, adult = (ctx.args.text(n) for n in ("capacity", "member", "adult"))
    errors: dict[str, str] = {}
    mentors = current.role in (Role.MENTOR, Role.BOTH)
    mentee = current.role in (Role.MENTEE, Role.BOTH)
    if mentors and not capacity_text:
        errors["capacity"] = "Mentors: say how many mentees you can take (1 to 3)."
    if mentors and not member:
        errors["member"] = "Mentors: say whether you are a member."
    if mentee and not adult:
        errors["adult"] = "Mentees: say whether you are 18 or over (or have permission)."
    if errors:
        raise FieldErrors(errors)
    application = replace(
        current,
        is_member=member == "yes",
        adult=Adult(adult) if adult else Adult.YES,
        capacity=int(capacity_text) if mentors else None,
    )
    await _save(ctx, cohort.name, application)
    message = MessageBuilder().paragraph(
        f"Your application to the {cohort.name} cohort is in. ",
        CommandSpan("mentoring", "status", action="status"),
        " shows it. Optional: private answers that help matching (only staff see them).",
    )
    return Reply(
        message.build(),
        form=private_form(cohort.id),
        actions=(step_button("Add private answers", cohort.id, "3"),),
    )


async def submit_private(ctx: CommandContext) -> Reply:
    """Step 3 submitted: the private answers replace any given before; never echoed."""
    chat = ctx.services.mentoring
    cohort = await chat.cohort_by_id(_cohort_id(ctx))
    current = await _current(ctx, cohort.name)
    if current is None:
        raise UserError("Start with the first form: /mentoring apply.")
    words = set(re.findall(r"[a-z]+", ctx.args.text("prefer_same").lower()))
    unknown = words - set(PREFERENCE_WORDS) - {"and", "same", "or", "the"}
    if unknown:
        raise FieldErrors(
            {"prefer_same": "Write any of region, gender, race/ethnicity, or leave it empty."}
        )
    flags = {PREFERENCE_WORDS[w]: True for w in words if w in PREFERENCE_WORDS}
    private = PrivateAnswers(
        gender=ctx.args.text("gender").strip() or None,
        race_ethnicity=ctx.args.text("race_ethnicity").strip() or None,
        bipoc_funding_interest=ctx.args.text("bipoc_funding") == "yes",
        **flags,
    )
    kept = None if private.is_empty() else private
    application = replace(current, private=kept)
    await _save(ctx, cohort.name, application)
    text = (
        "Saved privately: only staff see these answers, and only for matching. "
        if kept
        else "No private answers kept. "
    )
    message = MessageBuilder().paragraph(
        text, CommandSpan("mentoring", "forget", action="forget"), " deletes them at any time."
    )
    return Reply(message.build())


def _cohort_id(ctx: CommandContext) -> int:
    value = ctx.args.get("cohort_id")
    assert isinstance(value, int)  # a NUMBER option
    return value


async def _current(ctx: CommandContext, cohort: str) -> ApplicationInput | None:
    """The member's application to ``cohort`` so far (private answers included: it goes
    back into their own application only)."""
    chat = ctx.services.mentoring
    member_id = await chat.member_id(ctx.request.sender)
    try:
        return await chat.service.my_answers(cohort, member_id)
    except UserError:
        return None


async def _save(ctx: CommandContext, cohort: str, application: ApplicationInput) -> None:
    chat = ctx.services.mentoring
    member_id = await chat.member_id(ctx.request.sender)
    await chat.service.apply(cohort, application, member_id=member_id)
