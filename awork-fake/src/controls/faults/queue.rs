//! The queue of armed fault rules.

use axum::http::Method;

use super::{Fault, FaultRule};

/// Armed rules in injection order.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    rules: Vec<FaultRule>,
}

impl FaultQueue {
    /// Arms a rule; a rule with zero firings is dropped.
    pub(crate) fn push(&mut self, rule: FaultRule) {
        if rule.times > 0 {
            self.rules.push(rule);
        }
    }

    /// Takes one firing of the first rule matching the request, if any.
    pub(crate) fn take(&mut self, method: &Method, path: &str) -> Option<Fault> {
        let index = self
            .rules
            .iter()
            .position(|rule| rule.matches(method, path))?;
        let rule = &mut self.rules[index];
        rule.times -= 1;
        let fault = rule.fault.clone();
        if rule.times == 0 {
            self.rules.remove(index);
        }
        Some(fault)
    }

    /// Firings left over all rules.
    pub(crate) fn pending(&self) -> u64 {
        self.rules.iter().map(|rule| u64::from(rule.times)).sum()
    }

    /// Disarms every rule.
    pub(crate) fn clear(&mut self) {
        self.rules.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_fire_in_order_and_expire() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::status(503).times(2).on_method(Method::GET));
        queue.push(Fault::status(500).times(1));
        queue.push(Fault::status(502).times(0));
        assert_eq!(queue.pending(), 3);
        let post = queue.take(&Method::POST, "/api/v1/timebookings");
        assert_eq!(post, Some(Fault::status(500)));
        assert_eq!(queue.take(&Method::GET, "/x"), Some(Fault::status(503)));
        assert_eq!(queue.take(&Method::GET, "/x"), Some(Fault::status(503)));
        assert_eq!(queue.take(&Method::GET, "/x"), None);
        assert_eq!(queue.pending(), 0);
    }
}
