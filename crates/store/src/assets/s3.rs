//! `asset_store = "s3"`: objects in an S3-compatible bucket (AWS S3, MinIO, Alibaba Cloud OSS, Tencent COS …)
//! through the `object_store` crate, named `{s3_prefix}/{key}`.

use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt as _;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt as _, RetryConfig};

use super::{StoredAsset, valid_key};
use crate::{DatabaseConfig, StoreError};

/// A bucket and the prefix our objects live under. Cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct Bucket {
    client: Arc<dyn ObjectStore>,
    prefix: Path,
}

impl PartialEq for Bucket {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.client, &other.client) && self.prefix == other.prefix
    }
}

impl Eq for Bucket {}

impl Bucket {
    /// The client for the `[database] s3_*` keys, which `DatabaseConfig::validate` has checked. Keys left empty
    /// come from the usual `AWS_*` environment variables or the instance's role.
    pub(crate) fn new(cfg: &DatabaseConfig) -> Result<Self, StoreError> {
        // Short, bounded retries: the queue's own retry takes over when the service stays away, instead of a
        // worker sitting in one request for minutes.
        let retry = RetryConfig { max_retries: 3, retry_timeout: Duration::from_secs(20), ..Default::default() };
        let options = ClientOptions::new()
            .with_connect_timeout(Duration::from_secs(5))
            .with_timeout(Duration::from_secs(60))
            .with_allow_http(cfg.s3_allow_http);
        let mut builder = AmazonS3Builder::from_env()
            .with_client_options(options)
            .with_retry(retry)
            .with_bucket_name(&cfg.s3_bucket)
            .with_region(&cfg.s3_region)
            .with_allow_http(cfg.s3_allow_http)
            .with_virtual_hosted_style_request(cfg.s3_virtual_hosted_style);
        if !cfg.s3_endpoint.is_empty() {
            builder = builder.with_endpoint(&cfg.s3_endpoint);
        }
        if !cfg.s3_access_key_id.is_empty() {
            builder =
                builder.with_access_key_id(&cfg.s3_access_key_id).with_secret_access_key(&cfg.s3_secret_access_key);
        }
        let client = builder.build().map_err(|source| StoreError::Object { key: "(configuration)".into(), source })?;
        Ok(Bucket { client: Arc::new(client), prefix: Path::from(cfg.s3_prefix.as_str()) })
    }

    fn path(&self, key: &str) -> Path {
        self.prefix.clone().join(key)
    }

    fn error(&self, key: &str) -> impl FnOnce(object_store::Error) -> StoreError {
        let key = self.path(key).to_string();
        move |source| StoreError::Object { key, source }
    }

    /// Uploads one file. A successful PUT is the service's confirmation that the object is stored.
    pub(super) async fn write(&self, key: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.client.put(&self.path(key), bytes.to_vec().into()).await.map_err(self.error(key))?;
        Ok(())
    }

    pub(super) async fn read(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        let got = self.client.get(&self.path(key)).await.map_err(self.error(key))?;
        Ok(got.bytes().await.map_err(self.error(key))?.to_vec())
    }

    /// Every object under the prefix whose name is an asset key.
    pub(super) async fn list(&self) -> Result<Vec<StoredAsset>, StoreError> {
        let metas: Vec<_> = self.client.list(Some(&self.prefix)).try_collect().await.map_err(self.error(""))?;
        Ok(metas
            .into_iter()
            .filter_map(|m| {
                let key = m.location.filename()?.to_owned();
                valid_key(&key).ok()?;
                Some(StoredAsset { key, size: m.size, modified: m.last_modified.into() })
            })
            .collect())
    }

    /// Deletes one object; S3 answers a delete of a missing object with success too.
    pub(super) async fn remove(&self, key: &str) -> Result<(), StoreError> {
        match self.client.delete(&self.path(key)).await {
            Err(object_store::Error::NotFound { .. }) | Ok(()) => Ok(()),
            Err(e) => Err(self.error(key)(e)),
        }
    }
}
