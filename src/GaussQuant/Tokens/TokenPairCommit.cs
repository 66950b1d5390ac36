using GaussQuant.IO;

namespace GaussQuant.Tokens;

/// <summary>
/// Commits a tokens file and its manifest as one pair, so that no reader takes the tokens of one run for those a
/// manifest describes. Both are written completely under temporary names first (a failure there changes nothing);
/// the manifest records the tokens file's SHA-256; then the manifest is renamed into place, the folder flushed, and
/// the tokens renamed. A crash between the two renames leaves the new manifest beside the old tokens, which its hash
/// exposes (decode refuses the pair and says so), while readers of the tokens alone still see one whole old file.
/// </summary>
internal static class TokenPairCommit
{
    /// <returns>The manifest as committed, with <see cref="TokenManifest.TokensSha256"/>.</returns>
    public static TokenManifest Commit(NpyRowWriter<long> tokens, TokenManifest manifest, string manifestPath)
    {
        var committed = manifest with { TokensSha256 = tokens.Complete() };
        using (var manifestFile = AtomicFile.Create(manifestPath))
        {
            manifestFile.Stream.Write(committed.ToJson(manifestPath));
            manifestFile.Commit();
        }
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        PosixFiles.SyncFolder(folder);
        tokens.Commit();
        PosixFiles.SyncFolder(folder);
        return committed;
    }
}
