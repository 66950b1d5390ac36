namespace GaussQuant.Fuzz;

/// <summary>
/// One file format gq reads: seed files to mutate, tokens of its syntax for the mutator, what a case is saved as,
/// an optional repair after mutation (e.g. chunk checksums, so mutations reach past them), and the readers to run.
/// </summary>
/// <param name="Read">Reads the file at the path as gq would; throws on a bad file.</param>
/// <param name="Complete">Runs on the written case file before it is read (e.g. grows a token file, sparsely, to the length its header declares).</param>
internal sealed record FuzzFormat(
    string Name,
    string Extension,
    IReadOnlyList<byte[]> Seeds,
    IReadOnlyList<byte[]> Tokens,
    Action<string> Read,
    Func<byte[], Random, byte[]>? Repair = null,
    Action<string>? Complete = null);
