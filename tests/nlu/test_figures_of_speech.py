"""Figures of speech (nlu/figures_of_speech.py): tiredness said strongly is not a wish for counselling."""
import pytest

from nlu.figures_of_speech import venting_only


@pytest.mark.parametrize("text", ["天天带娃累死了 有没有免费的培训", "笑死 我老公说要去考厨师证", "气死我了 领导又让我周末加班",
                                  "攰到死 想问下有冇夜校"])
def test_a_figure_of_speech_alone_is_venting(text):
    assert venting_only(text)


@pytest.mark.parametrize("text", ["最近累死了 压力好大 每天都想哭", "烦死了 焦虑得睡不着", "带娃好辛苦 心情很差",
                                  "想问下免费培训", ""])
def test_a_word_of_feeling_besides_it_or_no_figure_is_not(text):
    assert not venting_only(text)
