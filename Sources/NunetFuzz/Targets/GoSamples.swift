/// Envelopes and token lists the Go DMS wrote (from the Go vectors of DMSActorTests and DMSCapabilitiesTests):
/// seeds for the JSON decoders, so mutations start from what real peers send.
enum GoSamples {
    static let envelopes = [
        #"""
        {"to":{"id":{"pub":"BAAREICMPIMGDBEBZTKTJSGIEQZWL6JULCI4I7M6HKHADTWUFE7OYL5FLE======"},"did":{"u\#
        ri":"did:key:z6Mkjbo1f9b7uzTCadFHBsr5SJJJJp9jZ1HNejusqtnmtcXA"},"addr":{"host":"12D3KooWExu8p2vP\#
        mMEDt1v18udaMzq8yZvXAp7VvKMyPbyesLTi","inbox":"ensemble-1"}},"be":"/dms/node/peers/self","from":\#
        {"id":{"pub":"BAAREIAA2BNB2HVCKE4W2VL27PKFRCZ4NWM5X24XF7WRBIZFMLVCNXG47I======"},"did":{"uri":"d\#
        id:key:z6MkeWSK7MaEHZJmxrd6xCjo55Jx4pGbmZwuBrn7Gjxqjp2u"},"addr":{"host":"12D3KooW9sYSGEuW8v5oGF\#
        HpuEXHzmqnja3PPNn2TSECpT9iiXyT","inbox":"root"}},"nonce":1795979121000000001,"opt":{"exp":183029\#
        7599999999999,"cont":"/dms/actor/replyto/1795979121000000001"},"msg":"eyJIb3N0IjoieCJ9","cap":"e\#
        yJ0b2siOltdfQ==","sig":"pYxnaKJQVJm7pzvol5fk2Z8rP59i3J6P+R643u0N45L7Wy6TWG0mxB1JJTiBBVNJpfUKTprj\#
        o6F4dPD2Y50xCA=="}
        """#,
        #"""
        {"to":{"id":{"pub":"BAAREICMPIMGDBEBZTKTJSGIEQZWL6JULCI4I7M6HKHADTWUFE7OYL5FLE======"},"did":{"u\#
        ri":"did:key:z6Mkjbo1f9b7uzTCadFHBsr5SJJJJp9jZ1HNejusqtnmtcXA"},"addr":{"host":"12D3KooWExu8p2vP\#
        mMEDt1v18udaMzq8yZvXAp7VvKMyPbyesLTi","inbox":"ensemble-1"}},"be":"/a\u003cb\u003e\u0026c","from\#
        ":{"id":{"pub":"BAAREIAA2BNB2HVCKE4W2VL27PKFRCZ4NWM5X24XF7WRBIZFMLVCNXG47I======"},"did":{"uri":\#
        "did:key:z6MkeWSK7MaEHZJmxrd6xCjo55Jx4pGbmZwuBrn7Gjxqjp2u"},"addr":{"host":"12D3KooW9sYSGEuW8v5o\#
        GFHpuEXHzmqnja3PPNn2TSECpT9iiXyT","inbox":"root"}},"nonce":0,"opt":{"exp":1},"msg":null,"sig":"F\#
        XJBpm0u57TiKNQV7uFp2Rc9RV97NjHfrxO9ks4WGNacA0mOUf4jtug6UkYAeMR8mEMc4AsssHCrG/3pfxOXAQ=="}
        """#,
    ]

    static let tokenLists = [
        #"""
        {"tok":[{"dms":{"act":"delegate","iss":{"uri":"did:key:z6MkfF4ykuxdK3Cea9xDqWgLLgMBvxcypy6Tv1K45\#
        Eahxy3m"},"sub":{"uri":"did:key:z6MkhsCivq5djTzhUVv9fBLJgqJ545TVQUxFKEJnb7vVQ7tn"},"aud":{},"top\#
        ic":["/nunet"],"cap":["/public"],"nonce":"AgUMFx4hKDM6PURP","exp":1830297599999998999,"chain":{"\#
        dms":{"act":"delegate","iss":{"uri":"did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7"},\#
        "sub":{"uri":"did:key:z6MkfF4ykuxdK3Cea9xDqWgLLgMBvxcypy6Tv1K45Eahxy3m"},"aud":{},"topic":["/nun\#
        et"],"cap":["/public","/broadcast"],"nonce":"AQYPFB0iKzA5PkdM","exp":1830297599999999999,"depth"\#
        :3,"sig":"yB/Flt01BD/O+F6rUT9HzCTumINLyYuv1YLpnmteFZrwZUT+W9wnTK3qXdvCTTGjSTM1mm642tg+AGVACx+XCg\#
        =="}},"sig":"Ihf6QnvILugMCCSAm2pnR8+mpbKapZztzwkuYOmwP/b57wTPnhU3KRSj9QEkSmw7R8SXcsKxlSFho0hKCb7\#
        mDg=="}}]}
        """#,
        #"""
        {"tok":[{"dms":{"act":"revoke","iss":{"uri":"did:key:z6MkfF4ykuxdK3Cea9xDqWgLLgMBvxcypy6Tv1K45Ea\#
        hxy3m"},"sub":{"uri":"did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7"},"aud":{},"cap":\#
        null,"nonce":"BQILEBkmLzQ9OkNI","exp":1830297599999999999,"sig":"2tdvApQ1sUKjey4He5EXQ9r94Xb+v8W\#
        zDBbzuERgjrutdB/2y6tJ09ShXlpUu1v4WrnS6+kIqfuXaLzoHTYjDQ=="}}]}
        """#,
    ]
}
