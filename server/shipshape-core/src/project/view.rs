//! What a project rule sees of the model: only the fact kinds it declares.
//!
//! A project rule's hook takes a `ProjectCx<'_, R>` (`crate::hook`), which
//! derefs to a [`ProjectView<'_, R>`], where `R` is the list of kinds it reads, written `reads![Python, Dockerfile]`. Every
//! accessor of the model is gated by the kinds it reads (`python()` needs
//! `Python` in `R`, `has_capability()` needs `Python` and `Dependencies`,
//! ...), so a hook that reads a kind it did not declare does not compile.
//! The hook table (`hooks::project::HOOKS`) builds each rule's declared
//! `reads` and its view from the same list (`hook!`), so the kinds an editor
//! re-runs a rule for are exactly the kinds the rule can see.
//!
//! A rule that declares `Dockerfile` and `Python` can read both:
//!
//! ```
//! use shipshape_core::{project::view::ProjectView, reads};
//!
//! fn rule(view: &ProjectView<'_, reads![Dockerfile, Python]>) -> usize {
//!     view.dockerfiles().count() + view.apps().len()
//! }
//! ```
//!
//! One that declares only `Dockerfile` cannot read the apps:
//!
//! ```compile_fail
//! use shipshape_core::{project::view::ProjectView, reads};
//!
//! fn rule(view: &ProjectView<'_, reads![Dockerfile]>) -> usize {
//!     view.dockerfiles().count() + view.apps().len()
//! }
//! ```

use std::{
    collections::{BTreeMap, BTreeSet},
    marker::PhantomData,
    ops::Range,
    path::{Path, PathBuf},
};

use super::{
    AppFact, Capability, CiFacts, ComposeFacts, DockerfileFacts, EnvEntry, FactKind, FlyFacts,
    Process, Project, ProjectFile, PyprojectFacts, PythonFacts, RailwayFacts, RequirementsFacts,
    ServedRoute,
};

/// The fact kinds as types, for [`reads!`] lists.
pub mod kinds {
    use super::{FactKind, Kind};

    macro_rules! kinds {
        ($($name:ident),*) => {$(
            #[doc = concat!("The `", stringify!($name), "` fact kind.")]
            pub struct $name;
            impl Kind for $name {
                const KIND: FactKind = FactKind::$name;
            }
        )*};
    }

    kinds!(
        Python,
        Dockerfile,
        Compose,
        DotEnv,
        Ignore,
        Dependencies,
        Deploy,
        Ci,
        Paths
    );
}

use kinds::{Ci, Compose, Dependencies, Deploy, Dockerfile, DotEnv, Ignore, Paths, Python};

/// A fact kind as a type.
pub trait Kind {
    const KIND: FactKind;
}

/// The position of a kind in a [`reads!`] list (inferred, never written).
pub struct Here;
/// See [`Here`].
pub struct There<T>(PhantomData<T>);

/// A [`reads!`] list that holds the kind `K` (at position `I`).
pub trait Has<K, I> {}
impl<K, T> Has<K, Here> for (K, T) {}
impl<K, H, T: Has<K, I>, I> Has<K, There<I>> for (H, T) {}

/// The type of a list of fact kinds: `reads![Python, Dockerfile]`.
#[macro_export]
macro_rules! reads {
    () => { () };
    ($first:ident $(, $rest:ident)* $(,)?) => {
        ($crate::project::view::kinds::$first, $crate::reads!($($rest),*))
    };
}

/// The project model through the fact kinds `R` only: what a project hook
/// sees of it (its context, `crate::hook::ProjectCx`, derefs to this).
pub struct ProjectView<'a, R> {
    project: &'a Project,
    reads: PhantomData<R>,
}

impl<'a, R> ProjectView<'a, R> {
    /// The view of `project` for a rule reading `R` (built by the hook
    /// table only, from the rule's declared kinds).
    pub(crate) fn new(project: &'a Project) -> ProjectView<'a, R> {
        ProjectView {
            project,
            reads: PhantomData,
        }
    }

    /// The file at `path` if it is of the kind `K` (which `R` holds).
    pub fn file_of<K: Kind, I>(&self, path: &Path) -> Option<&'a ProjectFile>
    where
        R: Has<K, I>,
    {
        self.project
            .file(path)
            .filter(|file| file.facts.kind() == K::KIND)
    }

    /// The view, through the same kinds, of the nested project a compose
    /// service builds from (its folder relative to the root; see
    /// [`Project::linked`]).
    pub fn linked(&self, folder: &Path) -> Option<ProjectView<'a, R>> {
        Some(ProjectView::new(self.project.linked(folder)?))
    }

    /// The folders of the nested projects compose services build from.
    pub fn linked_folders(&self) -> impl Iterator<Item = &'a Path> + use<'a, R> {
        self.project.linked_folders()
    }

    // Python.

    pub fn python<I>(
        &self,
    ) -> impl Iterator<Item = (&'a ProjectFile, &'a PythonFacts)> + use<'a, I, R>
    where
        R: Has<Python, I>,
    {
        self.project.python()
    }

    pub fn apps<I>(&self) -> Vec<(&'a ProjectFile, &'a AppFact)>
    where
        R: Has<Python, I>,
    {
        self.project.apps()
    }

    pub fn served_routes<I>(&self) -> Vec<ServedRoute>
    where
        R: Has<Python, I>,
    {
        self.project.served_routes()
    }

    pub fn routes_fully_known<I>(&self) -> bool
    where
        R: Has<Python, I>,
    {
        self.project.routes_fully_known()
    }

    pub fn health_routes<I>(&self) -> Vec<ServedRoute>
    where
        R: Has<Python, I>,
    {
        self.project.health_routes()
    }

    pub fn has_tests<I>(&self) -> bool
    where
        R: Has<Python, I>,
    {
        self.project.has_tests()
    }

    // Python and dependencies.

    pub fn is_service<I, J, K>(&self) -> bool
    where
        R: Has<Python, I> + Has<Dependencies, J> + Has<Paths, K>,
    {
        self.project.is_service()
    }

    pub fn has_capability<I, J>(&self, capability: Capability) -> bool
    where
        R: Has<Python, I> + Has<Dependencies, J>,
    {
        self.project.has_capability(capability)
    }

    pub fn anchor<I, J>(&self) -> Option<(PathBuf, Range<usize>)>
    where
        R: Has<Python, I> + Has<Dependencies, J>,
    {
        self.project.anchor()
    }

    // Paths.

    pub fn has_alembic<I>(&self) -> bool
    where
        R: Has<Paths, I>,
    {
        self.project.has_alembic()
    }

    pub fn has_django_migrations<I>(&self, app_dir: &Path) -> bool
    where
        R: Has<Paths, I>,
    {
        self.project.has_django_migrations(app_dir)
    }

    // Containers.

    pub fn dockerfiles<I>(
        &self,
    ) -> impl Iterator<Item = (&'a ProjectFile, &'a DockerfileFacts)> + use<'a, I, R>
    where
        R: Has<Dockerfile, I>,
    {
        self.project.dockerfiles()
    }

    pub fn compose_files<I>(
        &self,
    ) -> impl Iterator<Item = (&'a ProjectFile, &'a ComposeFacts)> + use<'a, I, R>
    where
        R: Has<Compose, I>,
    {
        self.project.compose_files()
    }

    // Env files.

    pub fn env_files<I>(
        &self,
    ) -> impl Iterator<Item = (&'a ProjectFile, &'a [EnvEntry])> + use<'a, I, R>
    where
        R: Has<DotEnv, I>,
    {
        self.project.env_files()
    }

    pub fn real_env_files<I>(
        &self,
    ) -> impl Iterator<Item = (&'a ProjectFile, &'a [EnvEntry])> + use<'a, I, R>
    where
        R: Has<DotEnv, I>,
    {
        self.project.real_env_files()
    }

    pub fn env_example<I>(&self) -> Option<(&'a ProjectFile, &'a [EnvEntry])>
    where
        R: Has<DotEnv, I>,
    {
        self.project.env_example()
    }

    /// An example env file above the root, up to the repository's root.
    pub fn outer_env_example<I>(&self) -> Option<&'a Path>
    where
        R: Has<DotEnv, I>,
    {
        self.project.outer_env_example()
    }

    // Ignore files.

    pub fn git_ignores<I>(&self, path: &Path, is_dir: bool) -> bool
    where
        R: Has<Ignore, I>,
    {
        self.project.git_ignores(path, is_dir)
    }

    pub fn has_gitignore<I>(&self) -> bool
    where
        R: Has<Ignore, I>,
    {
        self.project.has_gitignore()
    }

    // Dependencies.

    pub fn requirements_files<I>(
        &self,
    ) -> impl Iterator<Item = (&'a ProjectFile, &'a RequirementsFacts)> + use<'a, I, R>
    where
        R: Has<Dependencies, I>,
    {
        self.project.requirements_files()
    }

    pub fn pyproject<I>(&self) -> Option<(&'a ProjectFile, &'a PyprojectFacts)>
    where
        R: Has<Dependencies, I>,
    {
        self.project.pyproject()
    }

    pub fn locked_versions<I>(&self) -> BTreeMap<String, String>
    where
        R: Has<Dependencies, I>,
    {
        self.project.locked_versions()
    }

    pub fn has_lock_file<I>(&self) -> bool
    where
        R: Has<Dependencies, I>,
    {
        self.project.has_lock_file()
    }

    pub fn python_version_file<I>(&self) -> Option<(&'a ProjectFile, &'a str)>
    where
        R: Has<Dependencies, I>,
    {
        self.project.python_version_file()
    }

    pub fn dependency_names<I>(&self) -> BTreeSet<String>
    where
        R: Has<Dependencies, I>,
    {
        self.project.dependency_names()
    }

    // Deployment.

    pub fn railway<I>(
        &self,
    ) -> impl Iterator<Item = (&'a ProjectFile, &'a RailwayFacts)> + use<'a, I, R>
    where
        R: Has<Deploy, I>,
    {
        self.project.railway()
    }

    pub fn fly<I>(&self) -> impl Iterator<Item = (&'a ProjectFile, &'a FlyFacts)> + use<'a, I, R>
    where
        R: Has<Deploy, I>,
    {
        self.project.fly()
    }

    pub fn procfiles<I>(
        &self,
    ) -> impl Iterator<Item = (&'a ProjectFile, &'a [Process])> + use<'a, I, R>
    where
        R: Has<Deploy, I>,
    {
        self.project.procfiles()
    }

    // CI.

    pub fn ci_files<I>(
        &self,
    ) -> impl Iterator<Item = (&'a ProjectFile, &'a CiFacts)> + use<'a, I, R>
    where
        R: Has<Ci, I>,
    {
        self.project.ci_files()
    }

    pub fn outer_ci<I>(&self) -> &'a [CiFacts]
    where
        R: Has<Ci, I>,
    {
        self.project.outer_ci()
    }
}
