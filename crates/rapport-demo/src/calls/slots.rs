//! The values a call's sentences name (`{customer_first}`, `{competitor}`, `{next_when}` …),
//! and filling a sentence's slots with them.

/// One call's slot values. Every slot a bank uses has a field here; an unknown slot is a bug
/// in a bank, which the tests catch by filling every sentence.
#[derive(Debug, Clone, Default)]
pub(crate) struct Slots {
    pub rep_first: String,
    pub customer_first: String,
    pub title: String,
    pub company: String,
    pub market: String,
    pub employees: String,
    pub city: String,
    pub weekday: String,
    pub part_of_day: String,
    pub tenure: String,
    pub team_size: String,
    pub reps_count: String,
    pub monthly_leads: String,
    pub response_hours: String,
    pub reject_pct: String,
    pub report_days: String,
    pub colleague_first: String,
    pub colleague_title: String,
    pub expert_first: String,
    pub guest_first: String,
    pub competitor: String,
    pub competitor2: String,
    pub competitor_gap: String,
    pub incumbent: String,
    pub crm: String,
    pub chat: String,
    pub meeting_tool: String,
    pub warehouse: String,
    pub idp: String,
    pub next_when: String,
    pub followup_day: String,
    pub month: String,
    pub quarter: String,
    pub plan: String,
    pub seats: String,
    pub amount: String,
    pub discounted: String,
    pub discount_pct: String,
    pub term: String,
    pub case_study: String,
    pub case_company: String,
    pub content: String,
    pub read_content: String,
    pub security_doc: String,
    pub implementation_doc: String,
    pub roi: String,
    pub feature_gap: String,
    pub pain_short: String,
    pub pain2_short: String,
    /// The pain under discussion right now.
    pub pain_now: String,
}

impl Slots {
    fn get(&self, name: &str) -> Option<&str> {
        let value = match name {
            "rep_first" => &self.rep_first,
            "customer_first" => &self.customer_first,
            "title" => &self.title,
            "company" => &self.company,
            "market" => &self.market,
            "employees" => &self.employees,
            "city" => &self.city,
            "weekday" => &self.weekday,
            "part_of_day" => &self.part_of_day,
            "tenure" => &self.tenure,
            "team_size" => &self.team_size,
            "reps_count" => &self.reps_count,
            "monthly_leads" => &self.monthly_leads,
            "response_hours" => &self.response_hours,
            "reject_pct" => &self.reject_pct,
            "report_days" => &self.report_days,
            "colleague_first" => &self.colleague_first,
            "colleague_title" => &self.colleague_title,
            "expert_first" => &self.expert_first,
            "guest_first" => &self.guest_first,
            "competitor" => &self.competitor,
            "competitor2" => &self.competitor2,
            "competitor_gap" => &self.competitor_gap,
            "incumbent" => &self.incumbent,
            "crm" => &self.crm,
            "chat" => &self.chat,
            "meeting_tool" => &self.meeting_tool,
            "warehouse" => &self.warehouse,
            "idp" => &self.idp,
            "next_when" => &self.next_when,
            "followup_day" => &self.followup_day,
            "month" => &self.month,
            "quarter" => &self.quarter,
            "plan" => &self.plan,
            "seats" => &self.seats,
            "amount" => &self.amount,
            "discounted" => &self.discounted,
            "discount_pct" => &self.discount_pct,
            "term" => &self.term,
            "case_study" => &self.case_study,
            "case_company" => &self.case_company,
            "content" => &self.content,
            "read_content" => &self.read_content,
            "security_doc" => &self.security_doc,
            "implementation_doc" => &self.implementation_doc,
            "roi" => &self.roi,
            "feature_gap" => &self.feature_gap,
            "pain_short" => &self.pain_short,
            "pain2_short" => &self.pain2_short,
            "pain_now" => &self.pain_now,
            _ => return None,
        };
        Some(value)
    }

    /// Appends `template` to `out` with every `{slot}` replaced by its value.
    ///
    /// # Panics
    /// On an unknown or unclosed slot: a bug in a bank, caught by the tests.
    pub(crate) fn fill_into(&self, template: &str, out: &mut String) {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('}').map(|c| open + c);
            let name = close.map(|close| &rest[open + 1..close]);
            match (close, name.and_then(|name| self.get(name))) {
                (Some(close), Some(value)) => {
                    out.push_str(value);
                    rest = &rest[close + 1..];
                }
                _ => panic!("unknown slot in `{template}`"),
            }
        }
        out.push_str(rest);
    }

    #[cfg(test)]
    pub(crate) fn fill(&self, template: &str) -> String {
        let mut out = String::new();
        self.fill_into(template, &mut out);
        out
    }

    /// Every slot set to its own name in capitals, for checking banks.
    #[cfg(test)]
    pub(crate) fn placeholders() -> Self {
        let mut slots = Self::default();
        let fields: [(&str, &mut String); 50] = [
            ("rep_first", &mut slots.rep_first),
            ("customer_first", &mut slots.customer_first),
            ("title", &mut slots.title),
            ("company", &mut slots.company),
            ("market", &mut slots.market),
            ("employees", &mut slots.employees),
            ("city", &mut slots.city),
            ("weekday", &mut slots.weekday),
            ("part_of_day", &mut slots.part_of_day),
            ("tenure", &mut slots.tenure),
            ("team_size", &mut slots.team_size),
            ("reps_count", &mut slots.reps_count),
            ("monthly_leads", &mut slots.monthly_leads),
            ("response_hours", &mut slots.response_hours),
            ("reject_pct", &mut slots.reject_pct),
            ("report_days", &mut slots.report_days),
            ("colleague_first", &mut slots.colleague_first),
            ("colleague_title", &mut slots.colleague_title),
            ("expert_first", &mut slots.expert_first),
            ("guest_first", &mut slots.guest_first),
            ("competitor", &mut slots.competitor),
            ("competitor2", &mut slots.competitor2),
            ("competitor_gap", &mut slots.competitor_gap),
            ("incumbent", &mut slots.incumbent),
            ("crm", &mut slots.crm),
            ("chat", &mut slots.chat),
            ("meeting_tool", &mut slots.meeting_tool),
            ("warehouse", &mut slots.warehouse),
            ("idp", &mut slots.idp),
            ("next_when", &mut slots.next_when),
            ("followup_day", &mut slots.followup_day),
            ("month", &mut slots.month),
            ("quarter", &mut slots.quarter),
            ("plan", &mut slots.plan),
            ("seats", &mut slots.seats),
            ("amount", &mut slots.amount),
            ("discounted", &mut slots.discounted),
            ("discount_pct", &mut slots.discount_pct),
            ("term", &mut slots.term),
            ("case_study", &mut slots.case_study),
            ("case_company", &mut slots.case_company),
            ("content", &mut slots.content),
            ("read_content", &mut slots.read_content),
            ("security_doc", &mut slots.security_doc),
            ("implementation_doc", &mut slots.implementation_doc),
            ("roi", &mut slots.roi),
            ("feature_gap", &mut slots.feature_gap),
            ("pain_short", &mut slots.pain_short),
            ("pain2_short", &mut slots.pain2_short),
            ("pain_now", &mut slots.pain_now),
        ];
        for (name, field) in fields {
            *field = name.to_ascii_uppercase();
        }
        slots
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::lines::{all_banks, all_exchanges};

    fn check(template: &str, expected: &str) {
        assert_eq!(Slots::placeholders().fill(template), expected);
    }

    #[test]
    fn slots_are_filled_in_place() {
        check("Hi {customer_first}.", "Hi CUSTOMER_FIRST.");
        check("{competitor} vs {competitor2}", "COMPETITOR vs COMPETITOR2");
        check("No slots here.", "No slots here.");
        check("", "");
    }

    #[test]
    #[should_panic(expected = "unknown slot")]
    fn an_unknown_slot_is_a_bug() {
        Slots::placeholders().fill("Hi {nobody}.");
    }

    #[test]
    fn every_sentence_of_every_bank_fills_and_reads_as_a_sentence() {
        let slots = Slots::placeholders();
        let mut sentences = Vec::new();
        for (name, bank) in all_banks() {
            assert!(!bank.is_empty(), "{name} is empty");
            sentences.extend(bank.iter().map(|s| (name, *s)));
        }
        for (name, table) in all_exchanges() {
            assert!(!table.is_empty(), "{name} is empty");
            for (question, answer) in table {
                let greeting = name.starts_with("GREETINGS");
                assert!(greeting || question.ends_with('?'), "{name}: `{question}` is not a question");
                sentences.extend([(name, *question), (name, *answer)]);
            }
        }
        for (name, sentence) in sentences {
            let filled = slots.fill(sentence);
            assert!(!filled.contains(['{', '}']), "{name}: {sentence}");
            let end = filled.trim_end().chars().last();
            // Fillers open a sentence and end in a space; everything else ends like a sentence.
            if name != "FILLERS" {
                assert!(matches!(end, Some('.' | '?' | '!')), "{name}: `{sentence}` has no full stop");
            }
        }
    }
}
