/** Target number of assets per version_asset_chunks row; a chunk is split past twice this. */
export const ASSET_CHUNK_SIZE = 1000;
