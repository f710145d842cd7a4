//! The 20 `multipart/form-data` operations of awork's API v1, as data.
//!
//! progenitor cannot generate multipart requests, so `awork-api` leaves these operations
//! out and this table describes them instead: where each one goes, which path
//! parameters it takes, and the parts of its form with their types, all as awork's
//! document (`openapi/awork-v1.json`) states them. One request builder serves every row
//! ([`Uploads::operation`](super::Uploads::operation)); the typed helpers pick their row
//! by operationId. A test of the workspace (`tests/tests/uploads_table.rs`) reads the
//! vendored document and fails when a row and the document disagree, so a change of
//! awork's uploads cannot go unnoticed.

/// The HTTP method of an upload: awork's uploads are POSTs, except the replacement of a
/// document's content, a PUT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadMethod {
    /// `POST`: creates a file, a version, an image or a document.
    Post,
    /// `PUT`: replaces a document's content.
    Put,
}

impl UploadMethod {
    /// The method as reqwest sends it.
    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            UploadMethod::Post => reqwest::Method::POST,
            UploadMethod::Put => reqwest::Method::PUT,
        }
    }

    /// `POST` or `PUT`.
    pub fn as_str(self) -> &'static str {
        match self {
            UploadMethod::Post => "POST",
            UploadMethod::Put => "PUT",
        }
    }
}

/// What a path parameter holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A GUID (`format: uuid`).
    Uuid,
    /// ASCII letters only (`pattern: ^[A-Za-z]*$`), e.g. an entity name.
    Letters,
}

/// One `{name}` of an operation's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathParam {
    /// The name in the path template, e.g. `taskId`.
    pub name: &'static str,
    /// What it holds.
    pub kind: ParamKind,
}

/// What a part of the form holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// File content (`format: binary`), sent with a file name and a content type.
    File,
    /// Free text.
    Text,
    /// A GUID.
    Uuid,
    /// `true` or `false`.
    Bool,
    /// A decimal number.
    Number,
    /// One of these values.
    OneOf(&'static [&'static str]),
}

/// One part of an operation's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormField {
    /// The part's name, exactly as awork spells it (the file part is `File` on most
    /// operations and `file` on some).
    pub name: &'static str,
    /// What it holds.
    pub kind: FieldKind,
    /// Whether awork's document lists it as required.
    pub required: bool,
}

/// One of awork's multipart operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadOperation {
    /// awork's operationId, e.g. `CreateTaskFile`.
    pub operation_id: &'static str,
    /// The name traces show (`operation_id` of the `awork.request` span), in the
    /// generated operations' snake case, e.g. `create_task_file`.
    pub trace_name: &'static str,
    /// The HTTP method.
    pub method: UploadMethod,
    /// The path template under the v1 base URL, e.g. `/tasks/{taskId}/files`.
    pub path: &'static str,
    /// The path's parameters, in the order they appear.
    pub path_params: &'static [PathParam],
    /// The parts of the form.
    pub fields: &'static [FormField],
    /// The schema of the 200 answer in awork's document, e.g. `FileInfo`.
    pub returns: &'static str,
}

impl UploadOperation {
    /// The row with this operationId, if there is one.
    pub fn find(operation_id: &str) -> Option<&'static UploadOperation> {
        OPERATIONS.iter().find(|op| op.operation_id == operation_id)
    }

    /// The form field called `name`, if the operation has one.
    pub fn field(&self, name: &str) -> Option<&'static FormField> {
        self.fields.iter().find(|field| field.name == name)
    }

    /// The path parameter called `name`, if the operation has one.
    pub fn path_param(&self, name: &str) -> Option<&'static PathParam> {
        self.path_params.iter().find(|param| param.name == name)
    }
}

const fn uuid(name: &'static str) -> PathParam {
    PathParam {
        name,
        kind: ParamKind::Uuid,
    }
}

const fn field(name: &'static str, kind: FieldKind, required: bool) -> FormField {
    FormField {
        name,
        kind,
        required,
    }
}

/// The form of the 16 file and file-version uploads: one required part, `File`.
const FILE_FORM: &[FormField] = &[field("File", FieldKind::File, true)];

/// `FileUploadModel` (images, temporary files): one required part, `file`.
const FILE_UPLOAD_MODEL: &[FormField] = &[field("file", FieldKind::File, true)];

const CONTENT_FORMATS: &[&str] = &["html", "markdown"];

/// `DocumentPostForm`: a new document, its content optional.
const DOCUMENT_POST_FORM: &[FormField] = &[
    field("name", FieldKind::Text, false),
    field("documentSpaceId", FieldKind::Uuid, false),
    field("parentId", FieldKind::Uuid, false),
    field("projectId", FieldKind::Uuid, false),
    field("taskId", FieldKind::Uuid, false),
    field("emoji", FieldKind::Text, false),
    field("isPrivate", FieldKind::Bool, false),
    field("order", FieldKind::Number, false),
    field(
        "workspaceAccessLevel",
        FieldKind::OneOf(&["none", "read", "manage"]),
        false,
    ),
    field("isHiddenForConnectUsers", FieldKind::Bool, false),
    field("content", FieldKind::File, false),
    field("contentFormat", FieldKind::OneOf(CONTENT_FORMATS), false),
];

/// `DocumentContentForm`: a document's new content.
const DOCUMENT_CONTENT_FORM: &[FormField] = &[
    field("content", FieldKind::File, true),
    field("contentFormat", FieldKind::OneOf(CONTENT_FORMATS), false),
];

/// A file upload to an entity: `POST {path}` with the `File` part.
const fn file_upload(
    operation_id: &'static str,
    trace_name: &'static str,
    path: &'static str,
    path_params: &'static [PathParam],
    returns: &'static str,
) -> UploadOperation {
    UploadOperation {
        operation_id,
        trace_name,
        method: UploadMethod::Post,
        path,
        path_params,
        fields: FILE_FORM,
        returns,
    }
}

/// Every multipart operation of awork's API v1, in the document's path order.
pub static OPERATIONS: [UploadOperation; 20] = [
    file_upload(
        "CreateCompanyFile",
        "create_company_file",
        "/companies/{companyId}/files",
        &[uuid("companyId")],
        "FileInfo",
    ),
    file_upload(
        "CreateCompanyFileVersion",
        "create_company_file_version",
        "/companies/{companyId}/files/{fileId}/versions",
        &[uuid("companyId"), uuid("fileId")],
        "FileVersion",
    ),
    UploadOperation {
        operation_id: "PostDocument",
        trace_name: "post_document",
        method: UploadMethod::Post,
        path: "/documents",
        path_params: &[],
        fields: DOCUMENT_POST_FORM,
        returns: "DocumentModel",
    },
    UploadOperation {
        operation_id: "PutDocumentContentByDocumentId",
        trace_name: "put_document_content_by_document_id",
        method: UploadMethod::Put,
        path: "/documents/{documentId}/content",
        path_params: &[uuid("documentId")],
        fields: DOCUMENT_CONTENT_FORM,
        returns: "DocumentModel",
    },
    file_upload(
        "CreateDocumentFile",
        "create_document_file",
        "/documents/{documentId}/files",
        &[uuid("documentId")],
        "FileInfo",
    ),
    file_upload(
        "CreateDocumentFileVersion",
        "create_document_file_version",
        "/documents/{documentId}/files/{fileId}/versions",
        &[uuid("documentId"), uuid("fileId")],
        "FileVersion",
    ),
    UploadOperation {
        operation_id: "PostFilesImagesByEntityNameAndEntityId",
        trace_name: "post_files_images_by_entity_name_and_entity_id",
        method: UploadMethod::Post,
        path: "/files/images/{entityName}/{entityId}",
        path_params: &[
            PathParam {
                name: "entityName",
                kind: ParamKind::Letters,
            },
            uuid("entityId"),
        ],
        fields: FILE_UPLOAD_MODEL,
        returns: "FileInfo",
    },
    file_upload(
        "CreateProjectFile",
        "create_project_file",
        "/projects/{projectId}/files",
        &[uuid("projectId")],
        "FileInfo",
    ),
    file_upload(
        "CreateProjectFileVersion",
        "create_project_file_version",
        "/projects/{projectId}/files/{fileId}/versions",
        &[uuid("projectId"), uuid("fileId")],
        "FileVersion",
    ),
    file_upload(
        "CreateProjectTemplateFile",
        "create_project_template_file",
        "/projecttemplates/{projecttemplateId}/files",
        &[uuid("projecttemplateId")],
        "FileInfo",
    ),
    file_upload(
        "CreateProjectTemplateFileVersion",
        "create_project_template_file_version",
        "/projecttemplates/{projecttemplateId}/files/{fileId}/versions",
        &[uuid("projecttemplateId"), uuid("fileId")],
        "FileVersion",
    ),
    file_upload(
        "CreateTaskFile",
        "create_task_file",
        "/tasks/{taskId}/files",
        &[uuid("taskId")],
        "FileInfo",
    ),
    file_upload(
        "CreateTaskFileVersion",
        "create_task_file_version",
        "/tasks/{taskId}/files/{fileId}/versions",
        &[uuid("taskId"), uuid("fileId")],
        "FileVersion",
    ),
    file_upload(
        "CreateTaskTemplateFile",
        "create_task_template_file",
        "/tasktemplates/{tasktemplateId}/files",
        &[uuid("tasktemplateId")],
        "FileInfo",
    ),
    file_upload(
        "CreateTaskTemplateFileVersion",
        "create_task_template_file_version",
        "/tasktemplates/{tasktemplateId}/files/{fileId}/versions",
        &[uuid("tasktemplateId"), uuid("fileId")],
        "FileVersion",
    ),
    UploadOperation {
        operation_id: "PostTemporaryFiles",
        trace_name: "post_temporary_files",
        method: UploadMethod::Post,
        path: "/temporaryfiles",
        path_params: &[],
        fields: FILE_UPLOAD_MODEL,
        returns: "FileInfo",
    },
    file_upload(
        "CreateUserFile",
        "create_user_file",
        "/users/{userId}/files",
        &[uuid("userId")],
        "FileInfo",
    ),
    file_upload(
        "CreateUserFileVersion",
        "create_user_file_version",
        "/users/{userId}/files/{fileId}/versions",
        &[uuid("userId"), uuid("fileId")],
        "FileVersion",
    ),
    file_upload(
        "CreateWorkspaceFile",
        "create_workspace_file",
        "/workspaces/{workspaceId}/files",
        &[uuid("workspaceId")],
        "FileInfo",
    ),
    file_upload(
        "CreateWorkspaceFileVersion",
        "create_workspace_file_version",
        "/workspaces/{workspaceId}/files/{fileId}/versions",
        &[uuid("workspaceId"), uuid("fileId")],
        "FileVersion",
    ),
];
