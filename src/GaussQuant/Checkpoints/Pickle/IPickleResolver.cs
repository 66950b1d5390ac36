namespace GaussQuant.Checkpoints.Pickle;

/// <summary>What a pickle may ask of its reader beyond plain data: objects stored outside the pickle, and calls.</summary>
internal interface IPickleResolver
{
    /// <summary>Returns the object a persistent id (<c>BINPERSID</c>) names, e.g. a tensor storage in the archive.</summary>
    object? PersistentLoad(object? id);

    /// <summary>
    /// Calls <paramref name="callable"/> with <paramref name="arguments"/> (<c>REDUCE</c>, <c>NEWOBJ</c>, <c>INST</c>);
    /// callables the resolver does not know must give an opaque <see cref="PythonObject"/>, never fail.
    /// </summary>
    object? Call(PythonGlobal callable, object?[] arguments);
}
