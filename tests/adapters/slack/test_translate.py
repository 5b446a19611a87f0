"""Translating Slack payloads: mentions decoded to neutral refs, text unescaped, caching."""

from __future__ import annotations

from adapters.slack.client import build_client
from adapters.slack.commands import slash_commands
from adapters.slack.directory import StaffDirectory, UserDirectory
from adapters.slack.translate import decode_text, translate_command, translate_event
from bot.commands.catalogue import default_catalogue
from bot.commands.spec import CommandNames, parse_command_names
from bot.requests import MentionKind, mention_token
from tests.fakes.fake_slack import FakeSlack

COMMANDS = slash_commands(default_catalogue(), CommandNames())


def _directories(fake: FakeSlack, *, ttl: float = 600.0) -> tuple[UserDirectory, StaffDirectory]:
    client = build_client(token="xoxb-test", base_url=fake.api_url)
    return (
        UserDirectory(client=client, ttl=ttl),
        StaffDirectory(
            client=client, staff_user_ids=frozenset({"U3"}), staff_usergroup_id="SSTAFF"
        ),
    )


async def test_every_mention_form_is_decoded(fake_slack: FakeSlack) -> None:
    users, _ = _directories(fake_slack)
    raw = (
        "<@U2> <@U3|cleo> <@U404> <!subteam^S1|@storytellers> <#C9|random> "
        "<!here> <!channel|channel> <!everyone>"
    )
    text, mentions = await decode_text(raw, workspace_id="T0001", users=users)
    assert text == " ".join(mention_token(n) for n in range(8))
    kinds = [m.kind for m in mentions]
    assert kinds == [
        MentionKind.USER,
        MentionKind.USER,
        MentionKind.UNKNOWN_USER,
        MentionKind.GROUP,
        MentionKind.CHANNEL,
        MentionKind.EVERYONE,
        MentionKind.EVERYONE,
        MentionKind.EVERYONE,
    ]
    ben, cleo = mentions[0].user, mentions[1].user
    assert ben is not None and (ben.user_id, ben.display_name, ben.is_bot) == ("U2", "Ben", False)
    assert cleo is not None and cleo.display_name == "Cleo Park"
    assert [m.raw for m in mentions[2:5]] == ["@U404", "@storytellers", "#random"]
    assert mentions[4].channel_id == "C9"  # what /broadcast posts to


async def test_bots_are_marked_from_users_info(fake_slack: FakeSlack) -> None:
    users, _ = _directories(fake_slack)
    _, [mention] = await decode_text("<@UHELPER>", workspace_id="T0001", users=users)
    assert mention.user is not None and mention.user.is_bot


async def test_user_lookups_are_cached_until_the_ttl(fake_slack: FakeSlack) -> None:
    users, _ = _directories(fake_slack)
    for _ in range(3):
        await decode_text("<@U2> <@U404>", workspace_id="T0001", users=users)
    assert len(fake_slack.calls("users.info")) == 2
    expired, _ = _directories(fake_slack, ttl=0)
    await decode_text("<@U2>", workspace_id="T0001", users=expired)
    await decode_text("<@U2>", workspace_id="T0001", users=expired)
    assert len(fake_slack.calls("users.info")) == 4


async def test_transient_lookup_failure_keeps_the_mention(fake_slack: FakeSlack) -> None:
    users, _ = _directories(fake_slack)
    fake_slack.fail_next("users.info", times=10, status=500)
    _, [mention] = await decode_text("<@U2>", workspace_id="T0001", users=users)
    assert mention.kind is MentionKind.USER
    assert mention.user is not None and mention.user.user_id == "U2"


async def test_links_entities_and_control_characters(fake_slack: FakeSlack) -> None:
    users, _ = _directories(fake_slack)
    raw = "Tom &amp; Jerry &lt;3 <https://ala.org|ALA> <mailto:a@b.org> \x1f0\x1f\x07 ok"
    text, mentions = await decode_text(raw, workspace_id="T0001", users=users)
    assert text == "Tom & Jerry <3 ALA a@b.org 0 ok"
    assert mentions == ()


async def test_bad_text_is_cleaned_before_anything_reads_it(fake_slack: FakeSlack) -> None:
    users, _ = _directories(fake_slack)
    # A lone surrogate (JSON "\\ud800"), bidirectional overrides and isolates, and an
    # entity Slack never sends (only &amp; &lt; &gt;) that would decode to an override.
    raw = "a\ud800b \u202egnitirw\u202c \u2066x\u2069 &#x202e;c <https://x.org|\u202elabel>"
    text, _ = await decode_text(raw, workspace_id="T0001", users=users)
    assert text == "a\ufffdb gnitirw x &#x202e;c label"


async def test_slash_command_payload(fake_slack: FakeSlack) -> None:
    users, staff = _directories(fake_slack)
    body = {
        "command": "/BotHelp",
        "text": "",
        "team_id": "T0001",
        "channel_id": "D123",
        "channel_name": "directmessage",
        "user_id": "USTAFF",
        "user_name": "sam",
        "trigger_id": "trig-9",
    }
    request = await translate_command(body, users=users, staff=staff, commands=COMMANDS)
    assert request.command == "help"
    assert (request.platform, request.workspace_id, request.channel_id) == (
        "slack",
        "T0001",
        "D123",
    )
    assert request.delivery_id == "trig-9"
    assert request.is_staff and request.is_direct
    assert request.sender.display_name == "Sam (staff)"
    assert (
        await translate_command(
            body | {"user_id": "U3"}, users=users, staff=staff, commands=COMMANDS
        )
    ).is_staff
    assert not (
        await translate_command(
            body | {"user_id": "U2"}, users=users, staff=staff, commands=COMMANDS
        )
    ).is_staff
    assert len(fake_slack.calls("usergroups.users.list")) == 1  # cached


async def test_app_mention_strips_the_bot_mention(fake_slack: FakeSlack) -> None:
    users, staff = _directories(fake_slack)
    body = {
        "team_id": "T0001",
        "event_id": "Ev42",
        "event": {
            "type": "app_mention",
            "user": "U1",
            "text": "<@UBOT>, when is <@U2>'s talk?",
            "channel": "C1",
        },
    }
    request = await translate_event(body, users=users, staff=staff, bot_user_id="UBOT")
    assert request is not None
    assert (request.command, request.delivery_id) == ("ask", "Ev42")
    assert request.text == f"when is {mention_token(0)}'s talk?"
    own = body | {"event": body["event"] | {"user": "UBOT"}}
    assert await translate_event(own, users=users, staff=staff, bot_user_id="UBOT") is None


async def test_dm_with_a_file_and_thread_broadcast_are_questions(fake_slack: FakeSlack) -> None:
    users, staff = _directories(fake_slack)

    def body(**event: object) -> dict:
        dm = {"type": "message", "channel_type": "im", "user": "U1", "channel": "DU1"}
        return {"team_id": "T0001", "event_id": "Ev7", "event": dm | event}

    for subtype in ("file_share", "thread_broadcast"):
        request = await translate_event(
            body(subtype=subtype, text="Is this flyer right?"),
            users=users,
            staff=staff,
            bot_user_id="UBOT",
        )
        assert request is not None, subtype
        assert (request.command, request.text, request.is_direct) == (
            "ask",
            "Is this flyer right?",
            True,
        )
    for ignored in ("message_changed", "message_deleted", "channel_join", "bot_message"):
        assert (
            await translate_event(
                body(subtype=ignored, text="hello"), users=users, staff=staff, bot_user_id="UBOT"
            )
            is None
        ), ignored


async def test_a_renamed_slash_command_runs_its_core_command(fake_slack: FakeSlack) -> None:
    users, staff = _directories(fake_slack)
    renamed = slash_commands(
        default_catalogue(), parse_command_names("kudos:props", default_catalogue())
    )
    body = {"command": "/props", "text": "top", "team_id": "T0001", "user_id": "U2"}
    request = await translate_command(body, users=users, staff=staff, commands=renamed)
    assert (request.command, request.text) == ("kudos", "top")
    assert "/kudos" not in renamed  # the other app's /kudos is not ours any more
