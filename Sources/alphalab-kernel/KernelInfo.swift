import AlphaLab
import AlphaLabLua

/// The kernel_info_reply: the protocol, the implementation and the language.
enum KernelInfo {
    static var content: JSONObject {
        ["status": "ok", "protocol_version": JupyterSession.protocolVersion,
         "implementation": "alphalab", "implementation_version": AlphaLabVersion.string,
         "language_info": ["name": "lua", "version": LuaHost.luaVersion, "mimetype": "text/x-lua",
                           "file_extension": ".lua", "pygments_lexer": "lua", "codemirror_mode": "lua"] as JSONObject,
         "banner": "AlphaLab \(AlphaLabVersion.string) (Lua \(LuaHost.luaVersion), XGBoost \(XGBoostModel.libraryVersion)): help() for help",
         "help_links": [["text": "AlphaLab help: help(lab), help(lab.run), help(obj)", "url": "https://www.lua.org/manual/5.4/"]] as [JSONObject],
         "debugger": false]
    }
}
