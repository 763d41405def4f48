"""Date fields accept dates as a person types them, and say why a bad one is refused (core.calendar)."""
import datetime

import pytest
from django import forms

from mamori.core.calendar import DateInputError, parse_date_input
from mamori.core.forms import WarekiDateField

D = datetime.date

ACCEPTED = [
    ("令和6年4月1日", D(2024, 4, 1)),
    ("R6.4.1", D(2024, 4, 1)),
    ("r6/4/1", D(2024, 4, 1)),
    ("令6.4.1", D(2024, 4, 1)),
    ("2024-04-01", D(2024, 4, 1)),
    ("2024/4/1", D(2024, 4, 1)),
    ("2024年4月1日", D(2024, 4, 1)),
    ("Ｒ６．４．１", D(2024, 4, 1)),                # full-width
    ("令和 6 年 4 月 1 日", D(2024, 4, 1)),
    ("令和6年4月1日（月）", D(2024, 4, 1)),          # as the field reads it back
    ("令和元年5月1日", D(2019, 5, 1)),               # the first day of 令和
    ("H31.4.30", D(2019, 4, 30)),                   # the last day of 平成
    ("令和6年2月29日", D(2024, 2, 29)),              # leap year
    ("令和5年12月29日", D(2023, 12, 29)),            # 年末年始 are dates like any other here
    ("S64.1.7", D(1989, 1, 7)),
]

REFUSED = [
    ("令和6年2月30日", "2月は29日まで"),
    ("令和5年2月29日", "2月は28日まで"),               # not a leap year
    ("平成32年1月1日", "平成は平成31年4月30日"),
    ("令和1年4月30日", "令和は令和元年5月1日"),
    ("2024-13-01", "月は1から12"),
    ("来週の月曜", "日付として読めません"),
    ("R0.4.1", "元年（1年）"),
]


@pytest.mark.parametrize("text,expected", ACCEPTED)
def test_accepted(text, expected):
    assert parse_date_input(text) == expected


@pytest.mark.parametrize("text,reason", REFUSED)
def test_refused_with_the_reason(text, reason):
    with pytest.raises(DateInputError) as exc:
        parse_date_input(text)
    assert reason in str(exc.value)


class Form(forms.Form):
    day = WarekiDateField(label="日付")


def test_the_form_reads_back_what_it_understood():
    form = Form({"day": "R6.4.1"})
    assert form.is_valid() and form.cleaned_data["day"] == D(2024, 4, 1)
    html = str(form["day"])
    assert 'value="R6.4.1"' in html and "令和6年4月1日（月）（2024年4月1日）と読みました" in html
    assert 'aria-describedby="id_day_echo"' in html


def test_a_bad_date_comes_back_with_the_reason_beside_the_field():
    form = Form({"day": "令和6年2月30日"})
    assert not form.is_valid()
    assert "2月は29日まで" in form.errors["day"][0]
    html = str(form["day"])
    assert 'value="令和6年2月30日"' in html and 'aria-invalid="true"' in html


def test_an_initial_date_is_shown_in_wareki():
    assert 'value="令和6年4月1日"' in str(Form(initial={"day": D(2024, 4, 1)})["day"])


def test_the_echo_fragment(client, django_user_model):
    user = django_user_model.objects.create_user("u", password="x" * 16)
    client.force_login(user)
    assert "令和6年4月1日（月）" in client.get("/date-echo/", {"day": "2024/4/1"}).content.decode()
    assert "日付として読めません" in client.get("/date-echo/", {"day": "abc"}).content.decode()
