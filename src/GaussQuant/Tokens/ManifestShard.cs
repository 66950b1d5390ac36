namespace GaussQuant.Tokens;

/// <summary>
/// The part of a job a shard's tokens cover (<c>gq encode --shard i/N</c>): inputs [<see cref="Start"/>,
/// <see cref="End"/>) of the <see cref="Total"/> the job's input list expands to. <c>gq merge</c> needs every index
/// 0..N-1 once, their ranges back to back.
/// </summary>
public sealed record ManifestShard(int Index, int Count, int Start, int End, int Total);
