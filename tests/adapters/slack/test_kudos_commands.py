"""/kudos and /thanks through the real endpoint: mentions decoded, groups refused, DMs sent."""

from __future__ import annotations

from tests.adapters.slack.conftest import SlackEndpoint
from tests.adapters.slack.support import slash_command_body
from tests.fakes.fake_slack import FakeSlack


async def _command(endpoint: SlackEndpoint, fake: FakeSlack, command: str, text: str) -> str:
    """Send one command and return the text of the reply the member sees."""
    before = len(fake.responses())
    body = slash_command_body(command, text, response_url=fake.response_url())
    assert (await endpoint.command(body)).status == 200
    await fake.wait_for(lambda f: len(f.responses()) > before)
    return str(fake.responses()[-1].params["text"])


async def test_kudos_posts_in_the_kudos_channel_notifying_only_the_recipient(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    await _command(
        endpoint, fake_slack, "/kudos", "<@U2|ben> for the storytime &lt;!channel&gt; loved <!here>"
    )
    [post] = fake_slack.delivered("chat.postMessage")
    assert post.params["channel"] == "CKUDOS"
    shown = post.params["text"] + str(post.params["blocks"])
    assert "<@U2>" in shown
    assert "<!" not in shown  # no <!channel>, <!here>, <!everyone>, <!subteam^...>
    assert "&lt;" in shown and "channel&gt;" in shown  # what the member typed, escaped


async def test_kudos_refuses_groups_channels_and_everyone(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    for target, expected in (
        ("<!subteam^S123|@storytellers>", "@storytellers"),
        ("<#C999|random>", "#random: it is a channel"),
        ("<!channel>", "@channel"),
        ("<@U404>", "not a member I could find"),
    ):
        reply = await _command(endpoint, fake_slack, "/kudos", f"{target} for being great")
        assert "Nothing was sent" in reply, reply
        assert expected in reply, reply
        assert fake_slack.responses()[-1].params["response_type"] == "ephemeral"
    assert fake_slack.delivered("chat.postMessage") == []


async def test_kudos_to_a_bot_is_refused(endpoint: SlackEndpoint, fake_slack: FakeSlack) -> None:
    reply = await _command(endpoint, fake_slack, "/kudos", "<@UHELPER> for the reminders")
    assert "bot" in reply
    assert fake_slack.delivered("chat.postMessage") == []


async def test_thanks_goes_by_direct_message(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    reply = await _command(endpoint, fake_slack, "/thanks", "<@U3> thank you for the book list!")
    [opened] = fake_slack.delivered("conversations.open")
    assert opened.params["users"] == "U3"
    [dm] = fake_slack.delivered("chat.postMessage")
    assert dm.params["channel"] == "DU3"
    assert "book list" in dm.params["text"]
    assert fake_slack.responses()[-1].params["response_type"] == "ephemeral"
    assert "Cleo Park" in reply or "sent" in reply.lower()


async def _command_as(
    endpoint: SlackEndpoint, fake: FakeSlack, text: str, *, user_id: str, user_name: str
) -> str:
    before = len(fake.responses())
    body = slash_command_body(
        "/kudos", text, response_url=fake.response_url(), user_id=user_id, user_name=user_name
    )
    assert (await endpoint.command(body)).status == 200
    await fake.wait_for(lambda f: len(f.responses()) > before)
    return str(fake.responses()[-1].params["text"])


async def test_staff_remove_a_kudos_and_slack_deletes_its_post(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    await _command(endpoint, fake_slack, "/kudos", "<@U2|ben> for the storytime")
    [post] = fake_slack.delivered("chat.postMessage")
    shown = await _command_as(endpoint, fake_slack, "<@U2|ben>", user_id="USTAFF", user_name="sam")
    number = shown.split("#", 1)[1].split(" ", 1)[0]
    assert number.isdigit(), shown  # staff see the kudos' number
    refused = await _command(endpoint, fake_slack, "/kudos", f"remove {number}")
    assert "staff only" in refused and fake_slack.delivered("chat.delete") == []
    removed = await _command_as(
        endpoint, fake_slack, f"remove {number}", user_id="USTAFF", user_name="sam"
    )
    assert f"Removed kudos #{number}" in removed and "post is deleted" in removed
    [deleted] = fake_slack.delivered("chat.delete")
    assert deleted.params["channel"] == "CKUDOS"
    assert deleted.params["ts"] == post.response["ts"]
