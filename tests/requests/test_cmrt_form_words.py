"""The CMRT form asks RMI's questions in RMI's words, with the template's dropdown choices; an
answer read from a file that is none of those choices is kept and shown as read."""

from werkzeug.datastructures import MultiDict

from portal.schema_forms import form_class, to_form_data, to_record


def test_questions_in_rmi_words_with_the_templates_choices():
    form = form_class("cmrt")(data=to_form_data({"answers": {"q1": {"tin": "yes"}, "q6": {"gold": "greater than 90%"}}}))
    assert form.answers.q1.label.text.startswith("1) Is any 3TG intentionally added or used")
    assert form.company_questions.form.e.label.text.startswith("E. Does your company conduct Conflict Minerals survey")
    tin = form.answers.q1.tin()
    assert "<select" in tin and '<option selected value="yes">Yes</option>' in tin and ">Unknown<" not in tin
    assert ">Unknown<" in form.answers.q3.tin()
    assert "None" not in form.answers.q2.tin() and "selected" not in form.answers.q2.tin()  # unanswered: the blank
    assert '<option selected value="greater than 90%">Greater than 90%</option>' in form.answers.q6.gold()


def test_an_answer_that_is_no_choice_is_kept_as_read():
    form = form_class("cmrt")(formdata=MultiDict({"answers-q1-tin": "no", "answers-q1-gold": "yes (see comment)"}))
    assert form.validate()
    assert to_record(form.data)["answers"]["q1"] == {"tin": "no", "gold": "yes (see comment)"}
    assert '<option selected value="yes (see comment)">yes (see comment) (as in the file)</option>' in form.answers.q1.gold()


def test_company_questions_a_to_h_offer_the_templates_choices():
    form = form_class("cmrt")(data=to_form_data({"company_questions": {"e": {"answer": "yes, using other format (describe)"}}}))
    questions = form.company_questions.form
    for letter in "abcdfg":
        assert [c.label for c in questions[letter].form.answer.iter_choices()] == ["—", "Yes", "No"], letter
    assert [c.label for c in questions.e.form.answer.iter_choices()] == [
        "—", "Yes, in conformance with IPC1755 (e.g., CMRT)", "Yes, using other format (describe)", "No"]
    assert '<option selected value="yes, using other format (describe)">' in questions.e.form.answer()
    assert [c.value for c in questions.h.form.answer.iter_choices()] == [
        "", "yes, with the sec", "yes, with the eu", "yes, with the sec and the eu", "no"]
    assert questions.i.form.answer.type == "StringField"  # no choices in the template: free text
