use super::admin::JoinCodeButton;
use crate::accounts::api::my_roster;
use crate::assignments::ui::TaskDigestView;
use crate::i18n::*;
use crate::ui::{ErrorBox, Loading};
use leptos::prelude::*;
use leptos_meta::Title;

/// A class teacher's class: the students, their linked parents, and join codes for the rest.
#[component]
pub fn ClassPage() -> impl IntoView {
    let i18n = use_i18n();
    let roster = Resource::new(|| (), |_| my_roster());
    view! {
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match roster.await {
                    Ok(roster) => {
                        let title = t_string!(i18n, class_page.title, class = roster.class.name.clone()).to_string();
                        view! {
                            <Title text=title.clone() />
                            <h1>{title}</h1>
                            <p class="muted">{t_string!(i18n, class_page.intro)}</p>
                            <div class="table-wrap">
                                <table class="stacked">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t_string!(i18n, fields.full_name)}</th>
                                            <th scope="col">{t_string!(i18n, class_page.tasks)}</th>
                                            <th scope="col">{t_string!(i18n, class_page.parents)}</th>
                                            <th scope="col">{t_string!(i18n, class_page.join_code)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {roster.students.into_iter().map(|s| view! {
                                            <tr>
                                                <th scope="row">{s.full_name}<br /><small class="muted">{s.login}</small></th>
                                                <td><TaskDigestView digest=s.tasks compact=true /></td>
                                                <td>
                                                    {if s.parents.is_empty() {
                                                        t_string!(i18n, class_page.no_parents).to_string()
                                                    } else {
                                                        s.parents.join(", ")
                                                    }}
                                                </td>
                                                <td><JoinCodeButton student_id=s.id /></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
