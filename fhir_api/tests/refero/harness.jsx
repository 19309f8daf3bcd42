// A form system's page, as Helsenorge's would be: it fetches one of Heimveg's Questionnaires from
// the FHIR API, Refero renders it, and on "send" the host adds what only it knows (status
// completed, the collaboration point, the subject, a relative's RelatedPerson) and posts the
// QuestionnaireResponse to the API (the host contract of docs/fhir-forms.md).
// window.referoHost is set by the test (fhir_api/tests/test_refero.py); bundled by build.mjs.
import React from "react";
import { createRoot } from "react-dom/client";
import { Provider } from "react-redux";
import { Refero, store } from "@helsenorge/refero";
import "@helsenorge/designsystem-react/scss/helsenorge.scss";

// The host's own texts for Refero's buttons and messages (Helsenorge has its own).
const RESOURCES = {
  nb: { formSend: "Send inn", nextStep: "Neste", previousStep: "Forrige", formCancel: "Avbryt",
        formSave: "Lagre", formRequiredErrorMessage: "Du må fylle ut dette feltet",
        oppgiVerdi: "Velg ett av alternativene", validationSummaryHeader: "Sjekk at følgende er riktig utfylt:",
        ikkeBesvart: "Ikke besvart", formOptional: "valgfritt", formRequired: "må fylles ut",
        formAllOptional: "Alle felt er valgfrie", formAllRequired: "Alle felt må fylles ut",
        formRequiredRadiobuttonList: "Velg ett alternativ", selectDefaultPlaceholder: "Velg" },
  nn: { formSend: "Send inn", nextStep: "Neste", previousStep: "Førre", formCancel: "Avbryt",
        formSave: "Lagre", formRequiredErrorMessage: "Du må fylle ut dette feltet",
        oppgiVerdi: "Vel eitt av alternativa", validationSummaryHeader: "Sjekk at følgjande er rett utfylt:",
        ikkeBesvart: "Ikkje svart på", formOptional: "valfritt", formRequired: "må fyllast ut",
        formAllOptional: "Alle felt er valfrie", formAllRequired: "Alle felt må fyllast ut",
        formRequiredRadiobuttonList: "Vel eitt alternativ", selectDefaultPlaceholder: "Vel" },
  en: { formSend: "Send", nextStep: "Next", previousStep: "Previous", formCancel: "Cancel",
        formSave: "Save", formRequiredErrorMessage: "You must fill in this field",
        oppgiVerdi: "Choose one of the options", validationSummaryHeader: "Check that the following is filled in:",
        ikkeBesvart: "Not answered", formOptional: "optional", formRequired: "required",
        formAllOptional: "All fields are optional", formAllRequired: "All fields are required",
        formRequiredRadiobuttonList: "Choose one", selectDefaultPlaceholder: "Choose" },
};

const host = window.referoHost;
const auth = { Authorization: `Bearer ${host.token}`, Accept: "application/fhir+json" };

async function send(response) {
  const body = {
    ...response,
    status: "completed",
    subject: { reference: `Patient/${host.patient}` },
    extension: [
      ...(response.extension || []),
      { url: host.pointExtension, valueReference: { reference: `Task/${host.point}` } },
    ],
  };
  if (host.relative) body.source = { reference: `RelatedPerson/${host.relative}` };
  const answer = await fetch("/fhir/QuestionnaireResponse", {
    method: "POST",
    headers: { ...auth, "Content-Type": "application/fhir+json" },
    body: JSON.stringify(body),
  });
  window.referoSent = { refero: response, status: answer.status, body: await answer.json() };
  document.getElementById("sent").textContent = `sent ${answer.status}`;
}

async function main() {
  const answer = await fetch(`/fhir/Questionnaire/${host.questionnaire}`, { headers: auth });
  const questionnaire = await answer.json();
  const noop = () => {};
  createRoot(document.getElementById("form")).render(
    <Provider store={store()}>
      <Refero
        questionnaire={questionnaire}
        resources={RESOURCES[host.language]}
        onSubmit={send}
        onSave={noop}
        onCancel={noop}
        authorized
        loginButton={<span />}
        language={host.language === "en" ? "en-gb" : "nb-no"}
      />
    </Provider>
  );
}

main();
